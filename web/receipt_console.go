package web

import (
	"net/http"
	"strconv"
	"strings"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/calendar"
	"hogo.example.jp/hogo/receipt"
)

func (s *Server) receiptConsoleRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/receipts", s.console(s.receiptsPage, "receipts.title", receiptConsoleRole))
	mux.HandleFunc("POST /console/receipts", s.console(s.receiptsCreate, "receipts.title", receiptRecorder))
}

// receiptChoice is a ledger entry offered by the receipt form.
type receiptChoice struct {
	ID, Name, Provider string
	Items              []receiptChoice
}

// receiptFormFields are the form's fields kept when it is shown again
// after an error.
var receiptFormFields = []string{"provider_name", "provider_address", "provider_corporation", "provider_representative", "acquisition",
	"source", "received_on", "category", "count", "principals", "basis", "optout_published", "consent_confirmed", "cross_border",
	"foreign_info_given", "record_method"}

func (s *Server) receiptsPage(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	data, _ := p.Data.(map[string]any)
	if data == nil {
		data = map[string]any{}
	}
	if _, ok := data["Form"]; !ok {
		data["Form"] = map[string]string{}
	}
	if _, ok := data["Checked"]; !ok {
		data["Checked"] = map[string]bool{}
	}
	principal := strings.TrimSpace(r.URL.Query().Get("principal"))
	data["CanRead"], data["CanRecord"], data["Principal"] = receiptReader(c.Actor.Role), receiptRecorder(c.Actor.Role), principal
	data["Bases"], data["Methods"] = hogo.ReceiptBases, receipt.RecordMethods
	if s.Receipts != nil {
		data["Today"] = calendar.DateOf(s.Receipts.Now()).String()
	}
	if st := s.Ledger(); st != nil {
		l := st.Ledger
		var cats, srcs []receiptChoice
		for _, cat := range l.Categories {
			rc := receiptChoice{ID: cat.ID, Name: cat.Name.In(p.Lang)}
			for _, it := range cat.Items {
				rc.Items = append(rc.Items, receiptChoice{ID: it.ID, Name: it.Name.In(p.Lang)})
			}
			cats = append(cats, rc)
		}
		for _, src := range l.Sources {
			if !src.Direct {
				srcs = append(srcs, receiptChoice{ID: src.ID, Name: src.Name.In(p.Lang), Provider: src.Provider.In(p.Lang)})
			}
		}
		data["Categories"], data["Sources"] = cats, srcs
	}
	status := http.StatusOK
	if err := s.receiptsReady(); err != nil {
		p.Error, status = hogo.ErrorMessageIn(err, p.Lang), http.StatusInternalServerError
	} else if receiptReader(c.Actor.Role) {
		list, err := s.Receipts.List(r.Context(), c.Actor, principal)
		if err != nil && p.Error == "" {
			p.Error, status = hogo.ErrorMessageIn(err, p.Lang), httpStatus(hogo.ErrorCode(err))
		}
		data["Receipts"] = list
	}
	p.Data = data
	s.render(w, r, status, "receipts", p)
}

// receiptsCreate records a receipt from the console form; after an error
// the form is shown again as it was filled in.
func (s *Server) receiptsCreate(w http.ResponseWriter, r *http.Request, c *who, p *page) {
	f := r.PostFormValue
	form := map[string]string{}
	for _, k := range receiptFormFields {
		form[k] = f(k)
	}
	in := receipt.Input{ProviderName: f("provider_name"), ProviderAddress: f("provider_address"), ProviderCorporation: f("provider_corporation") != "",
		ProviderRepresentative: f("provider_representative"), Acquisition: f("acquisition"), Source: f("source"), ReceivedOn: f("received_on"),
		Category: f("category"), Items: r.PostForm["items_"+f("category")], Basis: f("basis"), OptOutPublished: f("optout_published") != "",
		ConsentConfirmed: f("consent_confirmed") != "", CrossBorder: f("cross_border") != "", ForeignInfoGiven: f("foreign_info_given") != "",
		RecordMethod: f("record_method"), Principals: strings.Fields(strings.NewReplacer(",", " ", "、", " ").Replace(f("principals")))}
	var err error
	if n := strings.TrimSpace(f("count")); n != "" {
		if in.Count, err = strconv.Atoi(n); err != nil || in.Count < 0 {
			err = hogo.NewError(hogo.EINVALID, "count", "本人の数（count）は0以上の数字で入力してください。", "count is a number, 0 or more")
		}
	}
	var rec *receipt.Record
	if err == nil {
		err = s.receiptsReady()
	}
	if err == nil {
		rec, err = s.Receipts.Record(r.Context(), c.Actor, in)
	}
	if err != nil {
		p.Error = hogo.ErrorMessageIn(err, p.Lang)
		checked := map[string]bool{}
		for _, it := range in.Items {
			checked[in.Category+"/"+it] = true
		}
		p.Data = map[string]any{"Form": form, "Checked": checked}
		s.receiptsPage(&statusOverride{w, httpStatus(hogo.ErrorCode(err))}, r, c, p)
		return
	}
	p.Flash = T(p.Lang, "receipts.created")
	p.Data = map[string]any{"Created": rec}
	s.receiptsPage(w, r, c, p)
}
