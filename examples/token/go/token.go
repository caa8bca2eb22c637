// The token of examples/token in Go, written in govm's style: each holder's
// balance lives in an object; Initialize returns the issuer's balance object
// id, GetBalance reads a balance by object id.
//
//	ward build examples/token/go/token.go -o token-go.wasm
package token

import (
	"errors"

	"ward"
)

// Balance objects belong to the contract (so that any transfer can write
// them); the field "holder" names the account, and the storage key
// "account:" + holder points to the object.
func accountKey(holder ward.Address) []byte { return append([]byte("account:"), holder[:]...) }

func accountOf(ctx ward.Context, holder ward.Address) (ward.Object, bool) {
	raw, ok := ward.Get(accountKey(holder))
	if !ok || len(raw) != 32 {
		return nil, false
	}
	obj, err := ctx.GetObject(ward.ObjectID(raw))
	return obj, err == nil
}

func openAccount(ctx ward.Context, holder ward.Address) (ward.Object, error) {
	obj, err := ctx.CreateObject()
	if err != nil {
		return nil, err
	}
	if err := obj.Set("holder", holder); err != nil {
		return nil, err
	}
	if err := obj.Set("balance", uint64(0)); err != nil {
		return nil, err
	}
	id := obj.ID()
	ward.Put(accountKey(holder), id[:])
	ctx.Log("AccountCreated", "holder", holder, "account", id)
	return obj, nil
}

func balanceOf(obj ward.Object) uint64 {
	var b uint64
	if obj.Get("balance", &b) != nil {
		return 0
	}
	return b
}

// Initialize sets the supply and gives it to the caller; returns the id of
// the caller's balance object.
func Initialize(ctx ward.Context, total_supply uint64) (ward.ObjectID, error) {
	meta, err := ctx.GetObject(ward.ObjectID{})
	if err != nil {
		return ward.ObjectID{}, err
	}
	var supply uint64
	if meta.Get("total_supply", &supply) == nil {
		return ward.ObjectID{}, errors.New("already initialized")
	}
	if err := meta.Set("total_supply", total_supply); err != nil {
		return ward.ObjectID{}, err
	}
	owner := ctx.Sender()
	account, ok := accountOf(ctx, owner)
	if !ok {
		if account, err = openAccount(ctx, owner); err != nil {
			return ward.ObjectID{}, err
		}
	}
	if err := account.Set("balance", total_supply); err != nil {
		return ward.ObjectID{}, err
	}
	ctx.Log("Initialized", "owner", owner, "total_supply", total_supply)
	return account.ID(), nil
}

// CreateAccount opens a balance object for the caller; returns its id.
func CreateAccount(ctx ward.Context) (ward.ObjectID, error) {
	if _, ok := accountOf(ctx, ctx.Sender()); ok {
		return ward.ObjectID{}, errors.New("account exists")
	}
	obj, err := openAccount(ctx, ctx.Sender())
	if err != nil {
		return ward.ObjectID{}, err
	}
	return obj.ID(), nil
}

// Transfer moves amount from the caller to `to`, opening `to`'s account if needed.
func Transfer(ctx ward.Context, to ward.Address, amount uint64) error {
	from := ctx.Sender()
	fromAccount, ok := accountOf(ctx, from)
	var fromBalance uint64
	if ok {
		fromBalance = balanceOf(fromAccount)
	}
	if fromBalance < amount {
		return errors.New("insufficient balance")
	}
	if from != to {
		toAccount, ok := accountOf(ctx, to)
		if !ok {
			var err error
			if toAccount, err = openAccount(ctx, to); err != nil {
				return err
			}
		}
		if err := fromAccount.Set("balance", fromBalance-amount); err != nil {
			return err
		}
		if err := toAccount.Set("balance", balanceOf(toAccount)+amount); err != nil {
			return err
		}
	}
	ctx.Log("Transfer", "from", from, "to", to, "amount", amount)
	return nil
}

// GetBalance is the balance held in a balance object (0 for an unknown id).
//
// ward:view
func GetBalance(ctx ward.Context, balanceID ward.ObjectID) uint64 {
	obj, err := ctx.GetObject(balanceID)
	if err != nil {
		return 0
	}
	return balanceOf(obj)
}

// AccountOf is the id of the holder's balance object.
//
// ward:view
func AccountOf(ctx ward.Context, owner ward.Address) (ward.ObjectID, error) {
	obj, ok := accountOf(ctx, owner)
	if !ok {
		return ward.ObjectID{}, errors.New("no account")
	}
	return obj.ID(), nil
}

// TotalSupply is the supply set by Initialize.
//
// ward:view
func TotalSupply(ctx ward.Context) uint64 {
	meta, err := ctx.GetObject(ward.ObjectID{})
	if err != nil {
		return 0
	}
	var supply uint64
	meta.Get("total_supply", &supply)
	return supply
}
