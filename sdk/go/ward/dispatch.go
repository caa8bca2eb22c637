//go:build wasip1

// The runtime of the generated dispatch (ward build writes a main that
// calls these): the method name, the arguments, the result.
package ward

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"unsafe"
)

// Call is what a generated dispatch works with for one call.
type Call struct {
	Method string
	args   map[string]json.RawMessage
}

// MethodName is the name of the method being called (the export the host
// entered through).
func MethodName() string {
	name := make([]byte, hostMethodSize())
	hostMethodRead(ptr(name))
	return string(name)
}

// Begin starts a call of method: reads the input (a JSON object), checks the
// call value against payable and the arguments against names (reverting with
// the SDKs' common messages), and marks a view read-only.
func Begin(method string, names []string, view, payable bool) (*Call, Context) {
	c := &Call{Method: method}
	methodName = c.Method
	readOnly = view
	if v := hostCallValue(); v != 0 && !payable {
		Revert("method " + c.Method + " is not payable (call value " + strconv.FormatUint(uint64(v), 10) +
			"); only WARD_PAYABLE methods accept value")
	}
	in := make([]byte, hostInputSize())
	hostInputRead(ptr(in))
	if len(in) == 0 {
		in = []byte("{}")
	}
	if err := json.Unmarshal(in, &c.args); err != nil || c.args == nil {
		Revert("arguments of " + c.Method + " must be a JSON object")
	}
	keys := make([]string, 0, len(c.args))
	for k := range c.args {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the first unknown argument by name, not by map order
	for _, k := range keys {
		known := false
		for _, n := range names {
			known = known || n == k
		}
		if !known {
			Revert("unknown argument '" + k + "' of " + c.Method + " (takes: " + strings.Join(names, ", ") + ")")
		}
	}
	return c, callContext{}
}

// Arg decodes argument name (of ABI type abiType) into dst; a missing or
// malformed argument reverts.
func Arg[T any](c *Call, name, abiType string, dst *T) {
	raw, ok := c.args[name]
	if !ok {
		Revert("argument '" + name + "': missing (expected " + abiType + ")")
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		Revert("argument '" + name + "': expected " + abiType)
	}
}

// Return sets the call's result to v as JSON.
func Return(v any) {
	data, err := json.Marshal(v)
	if err != nil {
		Revert("result: " + err.Error())
	}
	hostResultWrite(unsafe.Pointer(&data[0]), int32(len(data)))
}

// Fail reverts with the error's message when err is not nil.
func Fail(err error) {
	if err != nil {
		Revert(err.Error())
	}
}
