package letter

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// The font is stored gzip-compressed because the TrueType file is 6 MB and
// compresses to about two thirds of that; the binary then carries the font
// so that letters render the same on a machine without Debian's
// fonts-ipaexfont-gothic. fonts/LICENSE-IPAex.txt is the IPA Font License
// v1.0 that must travel with it.
//
//go:embed fonts/ipaexg.ttf.gz
var ipaexGothicGz []byte

// embeddedFontName is the font's PostScript name; it becomes the PDF
// BaseFont after the subset tag.
const embeddedFontName = "IPAexGothic"

var (
	embeddedOnce sync.Once
	embeddedTTF  []byte
	embeddedErr  error
)

// embeddedFont returns the decompressed IPAex Gothic. It is decompressed on
// first use only, since most processes that link this package never render
// a letter, and then kept: the font parser reads from the slice without
// modifying it, so every Render can share it.
func embeddedFont() ([]byte, error) {
	embeddedOnce.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(ipaexGothicGz))
		if err != nil {
			embeddedErr = fmt.Errorf("letter: embedded font: %w", err)
			return
		}
		data, err := io.ReadAll(zr)
		if err != nil {
			embeddedErr = fmt.Errorf("letter: embedded font: %w", err)
			return
		}
		embeddedTTF = data
	})
	return embeddedTTF, embeddedErr
}

// loadFont returns the TrueType data to use and a name for it.
func loadFont(o Options) (data []byte, name string, err error) {
	if o.FontPath == "" {
		data, err := embeddedFont()
		return data, embeddedFontName, err
	}
	data, err = os.ReadFile(o.FontPath)
	if err != nil {
		return nil, "", fmt.Errorf("letter: Options.FontPath: %w", err)
	}
	return data, fontNameFromPath(o.FontPath), nil
}

// fontNameFromPath makes a PDF name from a font file's base name. The PDF
// needs some BaseFont; reading the font's own name table would be more
// exact but the file name is enough to tell fonts apart in a viewer.
func fontNameFromPath(path string) string {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	var b strings.Builder
	for _, r := range base {
		if r < 0x80 && (r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "Font"
	}
	return b.String()
}
