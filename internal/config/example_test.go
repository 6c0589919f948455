package config_test

import (
	"fmt"

	"github.com/villagefeeds/village/internal/config"
)

func ExampleParse() {
	_, err := config.Parse([]byte(`title: Planet Kubernetes
feeds:
  - name: Kubernetes Blog
    url: https://kubernetes.io/feed.xml
  - name: CNCF
    url: www.cncf.io/feed/
    homepge: https://www.cncf.io/
`), "/etc/village/feeds.yaml")
	fmt.Println(err)

	c, err := config.Parse([]byte("feeds:\n  - url: https://kubernetes.io/feed.xml\n"), "/etc/village/feeds.yaml")
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Title, c.Link, c.Database, c.Interval)
	// Output:
	// feeds.yaml:6: feeds[1].url: not an absolute http(s) URL
	// feeds.yaml:7: feeds[1].homepge: unknown key
	// Planet http://127.0.0.1:8080/ /etc/village/village.db 30m0s
}
