package ingestbench

import (
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/villagefeeds/village/internal/farm"
)

// farmEnv makes the test binary the farm's child process: the farm runs
// in a process of its own, so that getrusage counts the program under test
// alone.
const farmEnv = "VILLAGE_INGESTBENCH_FARM"

func TestMain(m *testing.M) {
	if os.Getenv(farmEnv) == "1" {
		if err := farm.Serve(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "ingestbench farm:", err)
			os.Exit(1)
		}
		return
	}
	code := m.Run()
	closeFarms()
	os.Exit(code)
}

var (
	farmsMu sync.Mutex
	farms   = map[farm.Options]*farm.Remote{}
)

// remoteFarm returns a farm of opts in a child process, started on first
// use and shared by every benchmark of the run: generating it costs more
// than one ingest.
func remoteFarm(tb testing.TB, opts farm.Options) *farm.Remote {
	farmsMu.Lock()
	defer farmsMu.Unlock()
	if f, ok := farms[opts]; ok {
		return f
	}
	exe, err := os.Executable()
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), farmEnv+"=1")
	cmd.Stderr = os.Stderr
	f, err := farm.Spawn(cmd, opts)
	if err != nil {
		tb.Fatal(err)
	}
	farms[opts] = f
	return f
}

func closeFarms() {
	farmsMu.Lock()
	defer farmsMu.Unlock()
	for _, f := range farms {
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "ingestbench: close farm:", err)
		}
	}
}
