//go:build race

package main

// raceEnabled: the test binary was built with -race, and builds village so.
const raceEnabled = true
