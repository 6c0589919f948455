package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// cost is what a child process used.
type cost struct {
	wall, cpu time.Duration
	peakRSS   int64 // bytes
}

func (c cost) String() string {
	return fmt.Sprintf("%s wall   %s CPU   peak RSS %s", seconds(c.wall), seconds(c.cpu), bytesize(c.peakRSS))
}

// run runs cmd to its end and returns what it cost, and its stdout.
func measure(cmd *exec.Cmd) (cost, []byte, error) {
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	c := cost{wall: time.Since(start)}
	if cmd.ProcessState != nil {
		c.cpu, c.peakRSS = exitUsage(cmd.ProcessState)
	}
	if err != nil {
		return c, out.Bytes(), fmt.Errorf("%s: %w\n%s", cmd.Path, err, errb.String())
	}
	return c, out.Bytes(), nil
}

// buildVillage builds the village binary into dir, with the go build
// flags given.
func buildVillage(ctx context.Context, dir string, flags ...string) (string, error) {
	bin := dir + "/village"
	args := append(append([]string{"build"}, flags...), "-o", bin, "github.com/villagefeeds/village/cmd/village")
	cmd := exec.CommandContext(ctx, "go", args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build village: %w\n%s", err, out)
	}
	return bin, nil
}

// procStatus reads a field of /proc/PID/status in bytes ("VmHWM", "VmRSS");
// 0 where there is no /proc.
func procStatus(pid int, field string) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		if err != nil {
			return 0
		}
		return kb << 10
	}
	return 0
}
