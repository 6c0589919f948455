package cli

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/spf13/cobra"

	"github.com/villagefeeds/village/internal/config"
)

func newInit(g *globals) *cobra.Command {
	var title, link string
	var force bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a new planet's feeds.yaml, every setting explained",
		Long: `init writes feeds.yaml (or the file --config names) for a new planet: the
title and link given, the other settings at their defaults with comments
saying what each does, and no sources yet. Then add sources with
village add and start the planet with village serve. An existing file is
left alone unless --force is given.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			data, err := config.Starter(g.config, title, link)
			if err != nil {
				return fmt.Errorf("init: %w", err)
			}
			err = config.Create(g.config, data, force)
			if errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("init: %s already exists; edit it, or replace it with --force", g.config)
			}
			if err != nil {
				return fmt.Errorf("init: %w", err)
			}
			cfg, err := config.Parse(data, g.config)
			if err != nil {
				return err
			}
			flag := configFlag(g.config)
			fmt.Fprintf(g.stdout, "wrote %s: a planet titled %q, no sources yet. Next:\n", g.config, cfg.Title)
			for _, step := range [][2]string{
				{"village add https://blog.example.org/" + flag, "add a source (a blog's page or its feed)"},
				{"village serve" + flag, "start the planet at " + cfg.Link},
				{"village fetch" + flag, "or poll every source once, as from cron"},
			} {
				fmt.Fprintf(g.stdout, "  %-*s  # %s\n", 40+len(flag), step[0], step[1])
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&title, "title", config.DefaultTitle, "the planet's title")
	cmd.Flags().StringVar(&link, "link", "", "the public URL the planet will be served at (default: http://LISTEN/)")
	cmd.Flags().BoolVar(&force, "force", false, "replace an existing file")
	return cmd
}
