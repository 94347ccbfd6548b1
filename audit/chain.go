// Package audit is the tamper-evident audit log: entries are numbered and
// hash-chained (each hash covers the previous one), appended in batches
// (group commit) and acknowledged only once durable; the head of the chain is
// signed with Ed25519 at every append, and signed checkpoints can be exported
// and verified elsewhere. Storage is behind hogo.AuditService.
package audit

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"

	"hogo.example.jp/hogo"
)

// HashSize is the size of an entry hash.
const HashSize = sha256.Size

// ZeroHash is the "previous hash" of the first entry.
var ZeroHash = make([]byte, HashSize)

// Encode appends the canonical encoding of e (with its Seq) to buf. The
// encoding is compact JSON with a fixed key order, so it can be read by any
// tool and hashed the same everywhere. Time is UTC with nanoseconds.
func Encode(buf []byte, e *hogo.AuditEntry) []byte {
	buf = appendSeq(buf, e.Seq)
	return appendTail(buf, e)
}

func appendSeq(buf []byte, seq int64) []byte {
	buf = append(buf, `{"seq":`...)
	return strconv.AppendInt(buf, seq, 10)
}

// appendTail appends everything of the encoding after the seq. Log.Append
// computes it in the caller's goroutine, so that the single writer only
// prefixes the number and hashes.
func appendTail(buf []byte, e *hogo.AuditEntry) []byte {
	buf = append(buf, `,"time":"`...)
	buf = e.Time.UTC().AppendFormat(buf, time.RFC3339Nano)
	buf = append(buf, '"')
	if e.ActorID != 0 {
		buf = append(buf, `,"actor_id":`...)
		buf = strconv.AppendInt(buf, e.ActorID, 10)
	}
	buf = appendField(buf, "actor", e.Actor, true)
	buf = appendField(buf, "role", string(e.Role), false)
	buf = appendField(buf, "action", e.Action, true)
	buf = appendField(buf, "outcome", e.Outcome, false)
	buf = appendField(buf, "principal", e.Principal, false)
	buf = appendField(buf, "category", e.Category, false)
	buf = appendField(buf, "purpose", e.Purpose, false)
	buf = appendField(buf, "target", e.Target, false)
	buf = appendField(buf, "remote", e.Remote, false)
	if len(e.Detail) > 0 {
		keys := make([]string, 0, len(e.Detail))
		for k := range e.Detail {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		buf = append(buf, `,"detail":{`...)
		for i, k := range keys {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendString(buf, k)
			buf = append(buf, ':')
			buf = appendString(buf, e.Detail[k])
		}
		buf = append(buf, '}')
	}
	return append(buf, '}')
}

func appendField(buf []byte, key, val string, always bool) []byte {
	if val == "" && !always {
		return buf
	}
	buf = append(buf, ',', '"')
	buf = append(buf, key...)
	buf = append(buf, '"', ':')
	return appendString(buf, val)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaping as encoding/json does
// for the characters JSON requires and replacing invalid UTF-8.
func appendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				buf = append(buf, '\\', c)
			case c < 0x20:
				switch c {
				case '\n':
					buf = append(buf, '\\', 'n')
				case '\r':
					buf = append(buf, '\\', 'r')
				case '\t':
					buf = append(buf, '\\', 't')
				default:
					buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
				}
			default:
				buf = append(buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, `\ufffd`...)
		} else {
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return append(buf, '"')
}

// Decode parses a canonical body back into an entry.
func Decode(body []byte) (*hogo.AuditEntry, error) {
	var e hogo.AuditEntry
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("audit entry body is not valid: %w", err)
	}
	return &e, nil
}

// Chain computes entry hashes: SHA-256(previous hash || body).
type Chain struct {
	buf []byte
}

// Hash returns SHA-256(prev || body).
func (c *Chain) Hash(prev, body []byte) []byte {
	c.buf = append(append(c.buf[:0], prev...), body...)
	sum := sha256.Sum256(c.buf)
	return sum[:]
}

// Seal numbers entries after head, encodes and hashes them, and returns the
// new head (unsigned).
func Seal(head hogo.AuditHead, entries []*hogo.AuditEntry) hogo.AuditHead {
	tails := make([][]byte, len(entries))
	for i, e := range entries {
		tails[i] = appendTail(nil, e)
	}
	return sealTails(head, entries, tails)
}

// sealTails is Seal for entries whose encodings after the seq are ready.
func sealTails(head hogo.AuditHead, entries []*hogo.AuditEntry, tails [][]byte) hogo.AuditHead {
	var c Chain
	prev := head.Hash
	if len(prev) == 0 {
		prev = ZeroHash
	}
	seq := head.Seq
	for i, e := range entries {
		seq++
		e.Seq = seq
		body := make([]byte, 0, len(tails[i])+24)
		e.Body = append(appendSeq(body, seq), tails[i]...)
		e.Hash = c.Hash(prev, e.Body)
		prev = e.Hash
	}
	return hogo.AuditHead{Seq: seq, Hash: prev}
}
