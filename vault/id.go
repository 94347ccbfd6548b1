package vault

import (
	"bytes"
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"sync"
	"time"
)

// idEncoding is base32hex in lower case without padding: IDs sort in the
// order of their bytes, so time-ordered IDs are inserted at the end of the
// tables' B-trees.
var idEncoding = base32.NewEncoding("0123456789abcdefghijklmnopqrstuv").WithPadding(base32.NoPadding)

var (
	idMu   sync.Mutex
	lastID [16]byte
)

// NewID returns a new opaque ID of 26 characters: 48 bits of milliseconds
// since the Unix epoch and 80 random bits. It carries nothing about the
// person it names. IDs made by one process increase: within a millisecond
// (or if the clock steps back) the random part of the last ID is counted
// up instead of drawn anew.
func NewID(now time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixMilli())<<16)
	rand.Read(b[6:])
	idMu.Lock()
	if bytes.Compare(b[:6], lastID[:6]) <= 0 {
		b = lastID
		for i := 15; i >= 6; i-- {
			b[i]++
			if b[i] != 0 {
				break
			}
		}
	}
	lastID = b
	idMu.Unlock()
	return idEncoding.EncodeToString(b[:])
}

// ValidID reports whether s has the form of an ID made by NewID.
func ValidID(s string) bool {
	if len(s) != 26 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'v') {
			return false
		}
	}
	return true
}
