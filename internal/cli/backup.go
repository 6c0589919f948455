package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func newBackup(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the database to FILE",
		Long: `backup writes a consistent copy of the database named by feeds.yaml to
FILE, with SQLite's VACUUM INTO, while the daemon keeps running and
writing. The copy is compact and can be opened as a database of its own
(put it in place of village.db to restore). It refuses to overwrite FILE.`,
		Example: `  village backup /var/backups/village-$(date +%F).db`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, st, err := g.openStore(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.Backup(cmd.Context(), args[0]); err != nil {
				return err
			}
			size := ""
			if fi, err := os.Stat(args[0]); err == nil {
				size = " (" + sizeText(fi.Size()) + ")"
			}
			fmt.Fprintf(g.stdout, "backed up %s to %s%s\n", cfg.Database, args[0], size)
			return nil
		},
	}
}
