package tabular

import (
	"io"

	"hogo.example.jp/hogo/vault"
)

// ImportRows adapts a bound Reader to vault.Service.Import: it returns the
// rows without problems, calls bad for each row with problems (to write it
// to a rejects file, or to stop with an error), and signals the end with a
// nil row.
func ImportRows(rd *Reader, bad func(*Row) error) func() (*vault.ImportRow, error) {
	return func() (*vault.ImportRow, error) {
		for {
			row, err := rd.Next()
			if err == io.EOF {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			if row.OK() {
				return &vault.ImportRow{Line: row.Line, Items: row.Items}, nil
			}
			if err := bad(row); err != nil {
				return nil, err
			}
		}
	}
}
