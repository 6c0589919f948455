//go:build linux

package ingestbench

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
)

// ioCounters returns the bytes this process wrote through write calls and
// how many read and write calls it made, from /proc/self/io: SQLite's
// page writes are a good part of an ingest's system time.
func ioCounters() ioCount {
	data, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return ioCount{}
	}
	var c ioCount
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		key, val, ok := bytes.Cut(sc.Bytes(), []byte(": "))
		if !ok {
			continue
		}
		n, _ := strconv.ParseUint(string(val), 10, 64)
		switch string(key) {
		case "wchar":
			c.written = n
		case "syscr":
			c.calls += n
		case "syscw":
			c.calls += n
		}
	}
	return c
}
