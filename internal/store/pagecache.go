package store

import (
	"unsafe"

	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLite's page caches draw from one pool of pageCachePages slots, set up
// before the process opens its first database. Left alone, SQLite asks
// malloc for each page it caches, and the allocator under modernc.org/sqlite
// rounds every request up to a power of two: a 4 KiB page and its header
// took an 8 KiB slot, so the writer's 8 MiB cache (see writerDSN) cost
// 16 MiB once full. Pool slots are a page and its header, no more: the
// daemon's peak at 1,000 sources fell from 80-81 MiB to 71. The pool also
// bounds the page caches of all connections together: once it is used up,
// SQLite reuses the least recently used unpinned page of any connection
// (this build keeps one page LRU for all of them) and mallocs a page only
// when none is free.
//
// The pool is touched when SQLite starts, so its 10 MiB are resident in
// every process that opens a database, whatever its size.
const pageCachePages = 2400 // the writer's 8 MiB and a quarter more for the readers

// pageSize is SQLite's default page size, which village never changes.
const pageSize = 4096

func init() { configurePageCache() }

// pageHeader is where SQLite writes the size of a page's header in a
// slot: a variable of the package, whose address never moves, since
// SQLite writes through the address as a number.
var pageHeader int32

// configurePageCache gives SQLite the pool. It must run before the first
// connection opens, which initialises SQLite; after that SQLite refuses
// the setting and keeps allocating pages one by one, which costs memory,
// never correctness (TestPageCachePool catches it).
func configurePageCache() {
	tls := libc.NewTLS()
	defer tls.Close()
	args := libc.Xmalloc(tls, types.Size_t(3*unsafe.Sizeof(uintptr(0)))) // sqlite3_config's variadic arguments
	if args == 0 {
		return
	}
	defer libc.Xfree(tls, args)
	if sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PCACHE_HDRSZ, libc.VaList(args, uintptr(unsafe.Pointer(&pageHeader)))) != sqlite3.SQLITE_OK {
		return
	}
	header := pageHeader
	slot := (pageSize + header + 7) &^ 7 // SQLite wants slots 8-byte aligned
	// Off the Go heap, for the life of the process: SQLite keeps pointers
	// into it, and on the heap it would double the garbage collector's goal.
	pool := libc.Xmalloc(tls, types.Size_t(slot)*pageCachePages)
	if pool == 0 {
		return
	}
	if sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PAGECACHE, libc.VaList(args, pool, slot, int32(pageCachePages))) != sqlite3.SQLITE_OK {
		libc.Xfree(tls, pool)
	}
}
