// The counter of examples/counter in Go: Increment, Get, Reset.
//
//	ward build examples/counter/go/counter.go -o counter-go.wasm
package counter

import (
	"encoding/binary"
	"errors"

	"ward"
)

var key = []byte("count")

func count() uint64 {
	v, ok := ward.Get(key)
	if !ok || len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

func setCount(n uint64) {
	var v [8]byte
	binary.BigEndian.PutUint64(v[:], n)
	ward.Put(key, v[:])
}

// Increment adds `by` and returns the new count.
func Increment(ctx ward.Context, by uint64) (uint64, error) {
	n := count()
	if n+by < n {
		return 0, errors.New("counter overflow")
	}
	setCount(n + by)
	return n + by, nil
}

// Get is the count.
//
// ward:view
func Get(ctx ward.Context) uint64 { return count() }

// Reset sets the count back to 0.
func Reset(ctx ward.Context) { ward.Delete(key) }
