package tabular

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// TestSJISDecoderMatchesXText checks that the fast decoder gives exactly
// x/text's output, for every two-byte sequence and for random bytes read in
// pieces of every size.
func TestSJISDecoderMatchesXText(t *testing.T) {
	var all []byte
	for a := 0; a < 256; a++ {
		for b := 0; b < 256; b++ {
			all = append(all, byte(a), byte(b))
		}
	}
	inputs := [][]byte{all, {0x81}, {0x81, 0x20}, {0xE0, 0x7F, 0x41}, {0xFC, 0xFC, 0xFD}}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200; i++ {
		b := make([]byte, rng.IntN(300))
		for j := range b {
			b[j] = byte(rng.IntN(256))
			if rng.IntN(3) == 0 {
				b[j] &= 0x7F
			}
		}
		inputs = append(inputs, b)
	}
	for i, in := range inputs {
		want, _, err := transform.Bytes(japanese.ShiftJIS.NewDecoder(), in)
		if err != nil {
			t.Fatal(err)
		}
		d := newSJISDecoder()
		got, _, err := transform.Bytes(d, in)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("input %d: decoders differ (err %v)", i, err)
		}
		if want := bytes.Count(want, []byte("\uFFFD")); d.bad != want {
			t.Errorf("input %d: bad %d, want %d", i, d.bad, want)
		}
		// One byte at a time: every short-source and short-buffer path.
		piecewise, err := io.ReadAll(transform.NewReader(iotest.OneByteReader(bytes.NewReader(in)), newSJISDecoder()))
		if err != nil || !bytes.Equal(piecewise, want) {
			t.Fatalf("input %d: piecewise decoding differs (err %v)", i, err)
		}
	}
}

func BenchmarkSJISDecoder(b *testing.B) {
	data := benchCSV(b, 20000, true)
	b.Run("x/text", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			transform.Bytes(japanese.ShiftJIS.NewDecoder(), data)
		}
	})
	b.Run("fast", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			transform.Bytes(newSJISDecoder(), data)
		}
	})
}
