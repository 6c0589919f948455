package store

import (
	"testing"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// TestPageCachePool checks that the connections' pages come from the pool
// configurePageCache sets up, not from malloc one by one: SQLite counts
// pool slots in use apart from pages it had to allocate.
func TestPageCachePool(t *testing.T) {
	s := newStore(t)
	sources(t, s, 3)

	tls := libc.NewTLS()
	defer tls.Close()
	status := func(op int32) (current, highest int32) {
		if rc := sqlite3.Xsqlite3_status(tls, op, uintptr(unsafe.Pointer(&statusOut[0])), uintptr(unsafe.Pointer(&statusOut[1])), 0); rc != sqlite3.SQLITE_OK {
			t.Fatalf("sqlite3_status(%d): %d", op, rc)
		}
		return statusOut[0], statusOut[1]
	}
	if _, used := status(sqlite3.SQLITE_STATUS_PAGECACHE_USED); used == 0 {
		t.Errorf("no page was ever cached in the pool")
	}
	if _, size := status(sqlite3.SQLITE_STATUS_PAGECACHE_SIZE); size > pageSize+512 {
		t.Errorf("largest page cache request %d bytes: pool slots are too small for it", size)
	}
}

// statusOut is where sqlite3_status writes: a variable of the package,
// whose address never moves.
var statusOut [2]int32
