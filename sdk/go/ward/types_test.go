package ward

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAddressAndObjectIDText(t *testing.T) {
	var a Address
	a[19] = 0x0b
	a[18] = 0x0b
	if got := a.String(); got != "0x0000000000000000000000000000000000000b0b" {
		t.Fatalf("String() = %s", got)
	}
	b, err := json.Marshal(struct{ To Address }{a})
	if err != nil || string(b) != `{"To":"0x0000000000000000000000000000000000000b0b"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var back struct{ To Address }
	if err := json.Unmarshal(b, &back); err != nil || back.To != a {
		t.Fatalf("Unmarshal = %v, %v", back.To, err)
	}
	id, err := ParseObjectID("0x" + strings.Repeat("ab", 32))
	if err != nil || id[0] != 0xab || id.String() != "0x"+strings.Repeat("ab", 32) {
		t.Fatalf("ParseObjectID = %v, %v", id, err)
	}
}

func TestHexErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`"0x12"`, `address "0x12": expected 0x and 40 hex digits`},
		{`"` + strings.Repeat("0", 42) + `"`, "expected 0x and 40 hex digits"},
		{`"0x` + strings.Repeat("zz", 20) + `"`, "not hex"},
		{`12`, "address: expected a 0x hex string"},
	} {
		var a Address
		err := json.Unmarshal([]byte(c.in), &a)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Unmarshal(%s) = %v, want %q", c.in, err, c.want)
		}
	}
}

func TestPairsJSONKeepsOrder(t *testing.T) {
	var a Address
	b, err := pairsJSON([]any{"to", a, "amount", uint64(18446744073709551615), "ok", true})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"to":"0x0000000000000000000000000000000000000000","amount":18446744073709551615,"ok":true}`
	if string(b) != want {
		t.Fatalf("pairsJSON = %s, want %s", b, want)
	}
	if _, err := pairsJSON([]any{"a"}); err == nil || err.Error() != "1 values: expected key/value pairs" {
		t.Fatalf("odd count: %v", err)
	}
	if _, err := pairsJSON([]any{1, 2}); err == nil || err.Error() != "key 0 is a int, not a string" {
		t.Fatalf("non-string key: %v", err)
	}
}
