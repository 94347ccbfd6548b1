package web

import (
	"net/http"

	"hogo.example.jp/hogo"
)

// 匿名加工情報の公表 on the portal (APPI Art. 43(3), 則36): for each
// dataset of anonymised information created, its title, the day it was
// created and the categories of information about individuals it holds
// (匿名加工情報に含まれる個人に関する情報の項目) with how each was
// processed; and the undertaking not to re-identify (Art. 43(5), 45).
// Public: what datasets.Published gives, never a table or a method.

func (s *Server) datasetPortalRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /anonymized", s.portalAnonymized)
}

// publishedItem is an item category as published.
type publishedItem struct{ Name, Process string }

// publishedDataset is a dataset as the portal shows it.
type publishedDataset struct {
	ID, Title, Created string
	Items              []publishedItem
}

func (s *Server) portalAnonymized(w http.ResponseWriter, r *http.Request) {
	p := s.portalPage(r, "anonymized.title")
	var out []publishedDataset
	if s.Datasets != nil {
		list, err := s.Datasets.Published(r.Context())
		if err != nil {
			s.Logger.Error("published datasets failed", "err", errorKind(err))
			p.Error = hogo.ErrorMessageIn(err, p.Lang)
			s.render(w, r, httpStatus(hogo.ErrorCode(err)), "error", p)
			return
		}
		for _, d := range list {
			pd := publishedDataset{ID: d.ID, Title: d.Title, Created: effectiveText(d.CreatedAt.In(hogo.Tokyo).Format("2006-01-02"), p.Lang)}
			for _, it := range d.Items {
				pi := publishedItem{Name: it.NameJa, Process: it.ProcessJa}
				if p.Lang == "en" {
					pi = publishedItem{Name: it.NameEn, Process: it.ProcessEn}
				}
				pd.Items = append(pd.Items, pi)
			}
			out = append(out, pd)
		}
	}
	p.Data = map[string]any{"Datasets": out}
	s.render(w, r, http.StatusOK, "anonymized", p)
}
