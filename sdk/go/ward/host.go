//go:build wasip1

// The host side of the SDK: storage, iterators, block info, crypto, the
// Context and Object of a call, over the ward_v1 imports of host_wasm.go.
package ward

import (
	"encoding/json"
	"errors"
	"fmt"
	"unsafe"
)

func ptr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Pointer(&b[0])
}

func sptr(s string) unsafe.Pointer {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Pointer(unsafe.StringData(s))
}

// readOnly is set by the dispatch for `ward:view` methods.
var readOnly bool
var methodName string

func checkWrite() {
	if readOnly {
		Revert("read-only method " + methodName + " cannot write storage")
	}
}

// Revert stops the call with status reverted and the reason; it does not return.
func Revert(reason string) {
	hostRevert(sptr(reason), int32(len(reason)))
	panic("unreachable")
}

// Debug writes a line to the debug log.
func Debug(text string) { hostDebugPrint(sptr(text), int32(len(text))) }

// GasLeft is the gas remaining.
func GasLeft() uint64 { return uint64(hostGasLeft()) }

// Get reads a storage value of the running contract; false when absent.
func Get(key []byte) ([]byte, bool) {
	buf := make([]byte, 64)
	n := hostStorageGet(ptr(key), int32(len(key)), ptr(buf), int32(len(buf)))
	if n < 0 {
		return nil, false
	}
	if int(n) > len(buf) {
		buf = make([]byte, n)
		hostStorageGet(ptr(key), int32(len(key)), ptr(buf), n)
	}
	return buf[:n], true
}

// Put writes a storage value.
func Put(key, value []byte) {
	checkWrite()
	hostStoragePut(ptr(key), int32(len(key)), ptr(value), int32(len(value)))
}

// Delete removes a storage key.
func Delete(key []byte) {
	checkWrite()
	hostStorageDelete(ptr(key), int32(len(key)))
}

// Iterator walks storage keys in ascending byte order; it sees the call's own writes.
type Iterator struct {
	handle     int32
	key, value []byte
	done       bool
}

// Prefix opens an iterator over the keys starting with prefix.
func Prefix(prefix []byte) *Iterator {
	return &Iterator{handle: hostStorageIterPrefix(ptr(prefix), int32(len(prefix)))}
}

// Range opens an iterator over the keys in [start, end); an empty end: no upper bound.
func Range(start, end []byte) *Iterator {
	return &Iterator{handle: hostStorageIterRange(ptr(start), int32(len(start)), ptr(end), int32(len(end)))}
}

// Next moves to the next entry; false at the end (the iterator is then closed).
func (it *Iterator) Next() bool {
	if it.done {
		return false
	}
	var lens [8]byte
	if hostStorageIterNext(it.handle, unsafe.Pointer(&lens[0])) == 0 {
		it.Close()
		return false
	}
	kl := uint32(lens[0]) | uint32(lens[1])<<8 | uint32(lens[2])<<16 | uint32(lens[3])<<24
	vl := uint32(lens[4]) | uint32(lens[5])<<8 | uint32(lens[6])<<16 | uint32(lens[7])<<24
	it.key = make([]byte, kl)
	it.value = make([]byte, vl)
	hostStorageIterKey(it.handle, ptr(it.key))
	hostStorageIterValue(it.handle, ptr(it.value))
	return true
}

// Key is the current key.
func (it *Iterator) Key() []byte { return it.key }

// Value is the current value.
func (it *Iterator) Value() []byte { return it.value }

// Close releases the iterator (also done by Next at the end).
func (it *Iterator) Close() {
	if !it.done {
		it.done = true
		hostStorageIterClose(it.handle)
	}
}

// Sha256 is the SHA-256 of data.
func Sha256(data []byte) Hash {
	var h Hash
	hostSha256(ptr(data), int32(len(data)), unsafe.Pointer(&h[0]))
	return h
}

// Keccak256 is the Keccak-256 (Ethereum's padding) of data.
func Keccak256(data []byte) Hash {
	var h Hash
	hostKeccak256(ptr(data), int32(len(data)), unsafe.Pointer(&h[0]))
	return h
}

// Ed25519Verify is true when sig is a valid signature of msg under the public key pk.
func Ed25519Verify(sig [64]byte, pk [32]byte, msg []byte) bool {
	return hostEd25519Verify(unsafe.Pointer(&sig[0]), unsafe.Pointer(&pk[0]), ptr(msg), int32(len(msg))) == 1
}

// callContext is the Context of the running call.
type callContext struct{}

func (callContext) Sender() Address {
	var a Address
	hostSender(unsafe.Pointer(&a[0]))
	return a
}

func (callContext) Origin() Address {
	var a Address
	hostOrigin(unsafe.Pointer(&a[0]))
	return a
}

func (callContext) ContractAddress() Address {
	var a Address
	hostSelfAddress(unsafe.Pointer(&a[0]))
	return a
}

func (callContext) BlockHeight() uint64 { return uint64(hostBlockHeight()) }
func (callContext) BlockTime() int64    { return hostBlockTime() }
func (callContext) Value() uint64       { return uint64(hostCallValue()) }

func (c callContext) CreateObject() (Object, error) {
	checkWrite()
	self := c.ContractAddress()
	var id ObjectID
	hostObjectCreate(unsafe.Pointer(&self[0]), unsafe.Pointer(&id[0]))
	return &object{id: id}, nil
}

func (c callContext) GetObject(id ObjectID) (Object, error) {
	o := &object{id: id, isDefault: id == ObjectID{}}
	if hostObjectExists(o.idPtr(), o.idLen()) == 0 {
		return nil, fmt.Errorf("object %s not found", id)
	}
	return o, nil
}

func (callContext) GetObjectWithOwner(owner Address) (Object, error) {
	var id ObjectID
	if hostObjectByOwner(unsafe.Pointer(&owner[0]), unsafe.Pointer(&id[0])) == 0 {
		return nil, fmt.Errorf("no object owned by %s", owner)
	}
	return &object{id: id}, nil
}

func (c callContext) DeleteObject(id ObjectID) error {
	checkWrite()
	o, err := c.GetObject(id)
	if err != nil {
		return err
	}
	hostObjectDelete(o.(*object).idPtr(), o.(*object).idLen())
	return nil
}

func (callContext) Log(event string, keyValues ...any) {
	data, err := pairsJSON(keyValues)
	if err != nil {
		Revert("Log " + event + ": " + err.Error())
	}
	hostLog(sptr(event), int32(len(event)), ptr(data), int32(len(data)))
}

func (callContext) Call(contract Address, method string, args ...any) ([]byte, error) {
	var data []byte
	var err error
	switch len(args) {
	case 0:
		data = []byte("{}")
	case 1:
		data, err = json.Marshal(args[0])
	default:
		data, err = pairsJSON(args)
	}
	if err != nil {
		return nil, fmt.Errorf("call %s: arguments: %v", method, err)
	}
	status := hostCall(unsafe.Pointer(&contract[0]), sptr(method), int32(len(method)), ptr(data), int32(len(data)), 0, 0)
	out := make([]byte, hostCallResultSize())
	hostCallResultRead(ptr(out))
	if status != 0 {
		return nil, errors.New(string(out))
	}
	return out, nil
}

func (callContext) Balance(addr Address) uint64 { return uint64(hostBalance(unsafe.Pointer(&addr[0]))) }

func (callContext) Transfer(to Address, amount uint64) error {
	checkWrite()
	if hostTransfer(unsafe.Pointer(&to[0]), int64(amount)) != 0 {
		return errors.New("insufficient balance")
	}
	return nil
}

// object is an Object of the running contract.
type object struct {
	id        ObjectID
	isDefault bool // the default object: id length 0 for the host
}

func (o *object) idPtr() unsafe.Pointer { return unsafe.Pointer(&o.id[0]) }
func (o *object) idLen() int32 {
	if o.isDefault {
		return 0
	}
	return 32
}

func (o *object) ID() ObjectID {
	if o.isDefault {
		self := callContext{}.ContractAddress()
		return ObjectID(Sha256(append([]byte("ward-default-object"), self[:]...)))
	}
	return o.id
}

func (o *object) Owner() Address {
	var a Address
	hostObjectOwner(o.idPtr(), o.idLen(), unsafe.Pointer(&a[0]))
	return a
}

func (o *object) Contract() Address { return callContext{}.ContractAddress() }

func (o *object) SetOwner(owner Address) error {
	checkWrite()
	hostObjectSetOwner(o.idPtr(), o.idLen(), unsafe.Pointer(&owner[0]))
	return nil
}

func (o *object) Get(field string, value any) error {
	buf := make([]byte, 64)
	n := hostObjectGetField(o.idPtr(), o.idLen(), sptr(field), int32(len(field)), ptr(buf), int32(len(buf)))
	if n < 0 {
		return fmt.Errorf("field %q not found", field)
	}
	if int(n) > len(buf) {
		buf = make([]byte, n)
		hostObjectGetField(o.idPtr(), o.idLen(), sptr(field), int32(len(field)), ptr(buf), n)
	}
	if err := json.Unmarshal(buf[:n], value); err != nil {
		return fmt.Errorf("field %q: %v", field, err)
	}
	return nil
}

func (o *object) Set(field string, value any) error {
	checkWrite()
	data, err := json.Marshal(value)
	if err != nil {
		return fmt.Errorf("field %q: %v", field, err)
	}
	hostObjectSetField(o.idPtr(), o.idLen(), sptr(field), int32(len(field)), ptr(data), int32(len(data)))
	return nil
}
