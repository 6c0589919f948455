package site

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed theme
var embedded embed.FS

// ThemeFiles are the files a theme_dir may override, each on its own: a
// directory holding only style.css keeps the embedded templates.
var ThemeFiles = []string{"page.html", "entry.html", "sidebar.html", "style.css"}

// theme is the parsed templates and the stylesheet.
type theme struct {
	page  *template.Template
	style []byte
}

// loadTheme reads the embedded theme with the files of dir in place of
// their embedded namesakes. It is read on every build, so a theme edit
// shows at the next change without a restart.
func loadTheme(dir string) (*theme, error) {
	th := &theme{}
	root := template.New("")
	for _, name := range ThemeFiles {
		data, err := themeFile(dir, name)
		if err != nil {
			return nil, err
		}
		if name == "style.css" {
			th.style = data
			continue
		}
		if _, err := root.New(name).Parse(string(data)); err != nil {
			return nil, fmt.Errorf("theme %s: %w", name, err)
		}
	}
	th.page = root.Lookup("page.html")
	return th, nil
}

func themeFile(dir, name string) ([]byte, error) {
	if dir != "" {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err == nil {
			return data, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("theme: %w", err)
		}
	}
	return embedded.ReadFile("theme/" + name)
}
