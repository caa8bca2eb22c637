// Package ward is the Go SDK for Ward contracts (sdk/go/README.md). A
// contract is a Go package whose exported functions taking a ward.Context
// first are its methods; `ward build token.go` extracts them, generates the
// dispatch and builds a wasip1 module. This file holds the portable types.
package ward

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Address is a 20-byte account or contract address.
type Address [20]byte

// ObjectID is a 32-byte object id; the zero ObjectID names the default
// object of the running contract.
type ObjectID [32]byte

// Hash is a 32-byte digest (Sha256, Keccak256).
type Hash [32]byte

func hexString(b []byte) string { return "0x" + hex.EncodeToString(b) }

// parseHex decodes "0x" followed by exactly 2*n hex digits into dst.
func parseHex(s string, dst []byte, what string) error {
	if !strings.HasPrefix(s, "0x") && !strings.HasPrefix(s, "0X") {
		return fmt.Errorf("%s %q: expected 0x and %d hex digits", what, s, 2*len(dst))
	}
	h := s[2:]
	if len(h) != 2*len(dst) {
		return fmt.Errorf("%s %q: expected 0x and %d hex digits", what, s, 2*len(dst))
	}
	if _, err := hex.Decode(dst, []byte(h)); err != nil {
		return fmt.Errorf("%s %q: not hex", what, s)
	}
	return nil
}

func unmarshalHex(data []byte, dst []byte, what string) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return errors.New(what + ": expected a 0x hex string")
	}
	return parseHex(s, dst, what)
}

// String is "0x" and 40 lowercase hex digits.
func (a Address) String() string { return hexString(a[:]) }

// MarshalJSON writes the address as a hex string.
func (a Address) MarshalJSON() ([]byte, error) { return json.Marshal(a.String()) }

// UnmarshalJSON reads "0x" and 40 hex digits.
func (a *Address) UnmarshalJSON(data []byte) error { return unmarshalHex(data, a[:], "address") }

// ParseAddress reads "0x" and 40 hex digits.
func ParseAddress(s string) (Address, error) {
	var a Address
	return a, parseHex(s, a[:], "address")
}

// String is "0x" and 64 lowercase hex digits.
func (id ObjectID) String() string { return hexString(id[:]) }

// MarshalJSON writes the id as a hex string.
func (id ObjectID) MarshalJSON() ([]byte, error) { return json.Marshal(id.String()) }

// UnmarshalJSON reads "0x" and 64 hex digits.
func (id *ObjectID) UnmarshalJSON(data []byte) error { return unmarshalHex(data, id[:], "object id") }

// ParseObjectID reads "0x" and 64 hex digits.
func ParseObjectID(s string) (ObjectID, error) {
	var id ObjectID
	return id, parseHex(s, id[:], "object id")
}

// String is "0x" and 64 lowercase hex digits.
func (h Hash) String() string { return hexString(h[:]) }

// MarshalJSON writes the hash as a hex string.
func (h Hash) MarshalJSON() ([]byte, error) { return json.Marshal(h.String()) }

// UnmarshalJSON reads "0x" and 64 hex digits.
func (h *Hash) UnmarshalJSON(data []byte) error { return unmarshalHex(data, h[:], "hash") }

// Context is what a method sees of its call: govm's Context, with the same
// names and shapes.
type Context interface {
	Sender() Address          // the caller
	Origin() Address          // the account that signed the outermost call
	ContractAddress() Address // the running contract
	BlockHeight() uint64
	BlockTime() int64 // seconds since the Unix epoch
	Value() uint64    // native value attached to the call
	// CreateObject creates an object of the running contract, owned by it.
	CreateObject() (Object, error)
	// GetObject opens an object; ObjectID{} is the default object.
	GetObject(id ObjectID) (Object, error)
	// GetObjectWithOwner opens the first object (by id) owned by owner.
	GetObjectWithOwner(owner Address) (Object, error)
	DeleteObject(id ObjectID) error
	// Log emits an event: keyValues are pairs of a string key and a value
	// encoded as JSON, kept in order.
	Log(event string, keyValues ...any)
	// Call calls a method of another contract. args: none ({}), one value
	// encoded as the JSON arguments object, or key/value pairs as Log.
	// Returns the result JSON, or an error with the callee's error text.
	Call(contract Address, method string, args ...any) ([]byte, error)
	Balance(addr Address) uint64
	// Transfer moves native value from the running contract.
	Transfer(to Address, amount uint64) error
}

// Object is a contract object: an id, an owner and named fields holding JSON.
type Object interface {
	ID() ObjectID
	Owner() Address
	Contract() Address
	// SetOwner gives the object to a new owner (needs permission, else the call traps).
	SetOwner(owner Address) error
	// Get decodes the field's stored JSON into value (a pointer).
	Get(field string, value any) error
	// Set stores value as JSON in the field.
	Set(field string, value any) error
}

// pairsJSON encodes key/value pairs as one JSON object, keys in order.
func pairsJSON(keyValues []any) ([]byte, error) {
	if len(keyValues)%2 != 0 {
		return nil, fmt.Errorf("%d values: expected key/value pairs", len(keyValues))
	}
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i < len(keyValues); i += 2 {
		k, ok := keyValues[i].(string)
		if !ok {
			return nil, fmt.Errorf("key %d is a %T, not a string", i/2, keyValues[i])
		}
		if i > 0 {
			b.WriteByte(',')
		}
		kj, _ := json.Marshal(k)
		b.Write(kj)
		b.WriteByte(':')
		vj, err := json.Marshal(keyValues[i+1])
		if err != nil {
			return nil, fmt.Errorf("value of %q: %v", k, err)
		}
		b.Write(vj)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}
