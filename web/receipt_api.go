package web

import (
	"net/http"
	"slices"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/receipt"
)

// receiptRecorder may record receipts (APPI Art. 30).
func receiptRecorder(r hogo.Role) bool { return slices.Contains(receipt.RecordRoles, r) }

// receiptReader may read receipt records.
func receiptReader(r hogo.Role) bool { return slices.Contains(receipt.ReadRoles, r) }

// receiptConsoleRole may open the receipts page: to record, to read, or
// both.
func receiptConsoleRole(r hogo.Role) bool { return receiptRecorder(r) || receiptReader(r) }

func (s *Server) receiptsReady() error {
	if s.Receipts == nil {
		return hogo.NewError(hogo.EINTERNAL, "", "受領記録が構成されていません。", "receipt records are not configured")
	}
	return nil
}

func (s *Server) apiCreateReceipt(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.receiptsReady(); err != nil {
		return err
	}
	var in receipt.Input
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	rec, err := s.Receipts.Record(r.Context(), c.Actor, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rec)
	return nil
}

func (s *Server) apiReceipts(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.receiptsReady(); err != nil {
		return err
	}
	list, err := s.Receipts.List(r.Context(), c.Actor, r.URL.Query().Get("principal"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"receipts": list})
	return nil
}
