package tabular

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// IsTerminal reports whether f is a terminal (a character device), where a
// progress bar may be drawn.
func IsTerminal(f *os.File) bool {
	if f == nil {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressInterval is the least time between two drawings.
const progressInterval = 100 * time.Millisecond

// barWidth is the number of cells of the bar.
const barWidth = 24

// Progress draws a one-line progress bar, redrawn in place with a carriage
// return: the share of the input done (when its size is known), the rows
// read and the rows per second. It draws only when told its writer is a
// terminal, and at most ten times a second however often Update is called.
// It shows counts, never data. A Progress is not safe for concurrent use.
type Progress struct {
	w       io.Writer
	total   int64
	lang    string
	enabled bool
	now     func() time.Time

	start, last time.Time
	done        int64
	rows        int
	drawn       bool
	finished    bool

	unitJa, unitEn string // what is counted: 行 / rows by default
}

// SetUnit names what Update's count counts (default 行, rows).
func (p *Progress) SetUnit(ja, en string) { p.unitJa, p.unitEn = ja, en }

// NewProgress returns a progress bar on w for an input of total bytes (0 or
// less when unknown), in lang ("ja" or "en"). When terminal is false (see
// IsTerminal) it draws nothing.
func NewProgress(w io.Writer, total int64, terminal bool, lang string) *Progress {
	return &Progress{w: w, total: total, lang: lang, enabled: terminal && w != nil, now: time.Now}
}

// Update records that done bytes (e.g. Reader.Offset) and rows rows have
// been read, and redraws the bar if it was last drawn over 100 ms ago.
func (p *Progress) Update(done int64, rows int) {
	if !p.enabled || p.finished {
		return
	}
	now := p.now()
	if p.start.IsZero() {
		p.start = now
	}
	p.done, p.rows = done, rows
	if p.drawn && now.Sub(p.last) < progressInterval {
		return
	}
	p.last = now
	p.draw(now)
}

// Finish draws the final state, at 100% when the size is known, and ends
// the line. Later calls do nothing.
func (p *Progress) Finish() {
	if !p.enabled || p.finished {
		return
	}
	p.finished = true
	now := p.now()
	if p.start.IsZero() {
		p.start = now
	}
	if p.total > 0 {
		p.done = p.total
	}
	p.draw(now)
	io.WriteString(p.w, "\n")
}

func (p *Progress) draw(now time.Time) {
	p.drawn = true
	var b strings.Builder
	b.WriteString("\r")
	if p.total > 0 {
		frac := float64(p.done) / float64(p.total)
		frac = max(0, min(frac, 1))
		full := int(frac * barWidth)
		b.WriteString("[")
		b.WriteString(strings.Repeat("#", full))
		b.WriteString(strings.Repeat("-", barWidth-full))
		fmt.Fprintf(&b, "] %3d%%  ", int(frac*100))
	}
	rate := 0.0
	if el := now.Sub(p.start).Seconds(); el > 0 {
		rate = float64(p.rows) / el
	}
	ja, en := p.unitJa, p.unitEn
	if ja == "" {
		ja, en = "行", "rows"
	}
	if p.lang == "en" {
		fmt.Fprintf(&b, "%s %s  %s %s/s", thousands(int64(p.rows)), en, thousands(int64(rate)), en)
	} else {
		fmt.Fprintf(&b, "%s%s  %s%s/秒", thousands(int64(p.rows)), ja, thousands(int64(rate)), ja)
	}
	b.WriteString("\x1b[K") // clear what a longer earlier line left
	io.WriteString(p.w, b.String())
}

// thousands formats n with comma separators.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
