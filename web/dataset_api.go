package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/datasets"
)

// Anonymised information (匿名加工情報, APPI Art. 43) over the API: the
// records of its creation, a preview of the risk, the creation itself, the
// anonymised table and the processing-method information (加工方法等情報).

// datasetCreator creates anonymised information and reads its table and
// method: the protection manager.
func datasetCreator(r hogo.Role) bool { return slices.Contains(datasets.CreateRoles, r) }

// datasetReader reads the records of creation: the manager and the
// auditor.
func datasetReader(r hogo.Role) bool { return slices.Contains(datasets.ReadRoles, r) }

func (s *Server) datasetsReady() error {
	if s.Datasets == nil {
		return hogo.NewError(hogo.EINTERNAL, "", "匿名加工情報が構成されていません。", "anonymised information is not configured")
	}
	return nil
}

// datasetJSON is a dataset's record as the API gives it; a listing leaves
// out the steps and the report.
type datasetJSON struct {
	ID         string             `json:"id"`
	Kind       string             `json:"kind"`
	Title      string             `json:"title"`
	Category   string             `json:"category"`
	Purpose    string             `json:"purpose"`
	Items      []hogo.DatasetItem `json:"items"`
	Steps      []hogo.DatasetStep `json:"steps,omitempty"`
	Report     json.RawMessage    `json:"report,omitempty"`
	Rows       int                `json:"rows"`
	Suppressed int                `json:"suppressed"`
	CreatedAt  time.Time          `json:"created_at"`
	// PublishedAt is absent for pseudonymised information, which is not
	// published.
	PublishedAt *time.Time `json:"published_at,omitempty"`
	Actor       string     `json:"actor"`
}

func toDatasetJSON(d *hogo.Dataset, full bool) datasetJSON {
	j := datasetJSON{ID: d.ID, Kind: d.Kind, Title: d.Title, Category: d.Category, Purpose: d.Purpose, Items: d.Items,
		Rows: d.Rows, Suppressed: d.Suppressed, CreatedAt: d.CreatedAt.In(hogo.Tokyo), Actor: d.Actor}
	if !d.PublishedAt.IsZero() {
		t := d.PublishedAt.In(hogo.Tokyo)
		j.PublishedAt = &t
	}
	if j.Items == nil {
		j.Items = []hogo.DatasetItem{}
	}
	if full {
		j.Steps = d.Steps
		if len(d.Report) > 0 && json.Valid(d.Report) {
			j.Report = d.Report
		}
	}
	return j
}

// datasetBody is the body of POST /api/v1/datasets: the spec, and whether
// only to preview it.
type datasetBody struct {
	datasets.Spec
	Preview bool `json:"preview"`
}

// datasetPreviewJSON is a preview's answer: what the creation would
// publish and the risk it would leave; nothing is stored.
type datasetPreviewJSON struct {
	Preview  bool               `json:"preview"`
	Title    string             `json:"title"`
	Category string             `json:"category"`
	Purpose  string             `json:"purpose"`
	Report   datasets.Report    `json:"report"`
	Items    []hogo.DatasetItem `json:"items"`
	Steps    []hogo.DatasetStep `json:"steps"`
}

func (s *Server) apiDatasets(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.datasetsReady(); err != nil {
		return err
	}
	list, err := s.Datasets.List(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	out := make([]datasetJSON, 0, len(list))
	for _, d := range list {
		out = append(out, toDatasetJSON(d, false))
	}
	writeJSON(w, http.StatusOK, map[string]any{"datasets": out})
	return nil
}

func (s *Server) apiCreateDataset(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.datasetsReady(); err != nil {
		return err
	}
	var in datasetBody
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	if in.Preview {
		run, err := s.Datasets.Preview(r.Context(), c.Actor, in.Spec)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, datasetPreviewJSON{Preview: true, Title: run.Spec.Title, Category: run.Spec.Category,
			Purpose: run.Spec.Purpose, Report: run.Report, Items: run.Items, Steps: run.Steps})
		return nil
	}
	d, _, err := s.Datasets.Create(r.Context(), c.Actor, in.Spec)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/datasets/"+d.ID)
	writeJSON(w, http.StatusCreated, toDatasetJSON(d, true))
	return nil
}

func (s *Server) apiDataset(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.datasetsReady(); err != nil {
		return err
	}
	d, err := s.Datasets.Get(r.Context(), c.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toDatasetJSON(d, true))
	return nil
}

func (s *Server) apiDatasetData(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.datasetsReady(); err != nil {
		return err
	}
	return s.writeDatasetCSV(w, r, c)
}

// writeDatasetCSV streams a dataset's anonymised table as an attachment.
// The headers are set when the first byte is written, so that a refusal
// before it is still an error of its own kind; a failure after it can
// only cut the download short, and is logged.
func (s *Server) writeDatasetCSV(w http.ResponseWriter, r *http.Request, c *who) error {
	id := r.PathValue("id")
	lw := &lazyAttachment{w: w, contentType: "text/csv; charset=utf-8", name: "dataset-" + id + ".csv"}
	err := s.Datasets.Data(r.Context(), c.Actor, id, lw)
	if err != nil && lw.started {
		s.Logger.Error("dataset download cut short", "route", r.Pattern, "err", errorKind(err))
		return nil
	}
	return err
}

// lazyAttachment writes the headers of a download with its first byte.
type lazyAttachment struct {
	w                 http.ResponseWriter
	contentType, name string
	started           bool
}

func (l *lazyAttachment) Write(b []byte) (int, error) {
	if !l.started {
		l.started = true
		h := l.w.Header()
		h.Set("Content-Type", l.contentType)
		h.Set("Content-Disposition", `attachment; filename="`+l.name+`"`)
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		l.w.WriteHeader(http.StatusOK)
	}
	return l.w.Write(b)
}

func (s *Server) apiDatasetMethod(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.datasetsReady(); err != nil {
		return err
	}
	m, err := s.Datasets.Method(r.Context(), c.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

// datasetProvisionJSON is a provision of anonymised information to a third
// party (APPI Art. 43(4)) as the API gives it; Letter is where the manager
// reads its cover letter again.
type datasetProvisionJSON struct {
	ID               string    `json:"id"`
	DatasetID        string    `json:"dataset_id"`
	Recipient        string    `json:"recipient"`
	RecipientAddress string    `json:"recipient_address"`
	Method           string    `json:"method"`
	ProvidedOn       string    `json:"provided_on"`
	CreatedAt        time.Time `json:"created_at"`
	PublishedAt      time.Time `json:"published_at"`
	Actor            string    `json:"actor"`
	Letter           string    `json:"letter,omitempty"`
}

// datasetLetterURL is the API's address of a provision's cover letter.
func datasetLetterURL(datasetID, provisionID string) string {
	return "/api/v1/datasets/" + datasetID + "/provisions/" + provisionID + "/letter"
}

// toProvisionJSON gives a provision; the letter's address only to a role
// that may read it.
func toProvisionJSON(p *hogo.DatasetProvision, letter bool) datasetProvisionJSON {
	j := datasetProvisionJSON{ID: p.ID, DatasetID: p.DatasetID, Recipient: p.Recipient, RecipientAddress: p.RecipientAddress,
		Method: p.Method, ProvidedOn: p.ProvidedOn, CreatedAt: p.CreatedAt.In(hogo.Tokyo), PublishedAt: p.PublishedAt.In(hogo.Tokyo),
		Actor: p.Actor}
	if letter {
		j.Letter = datasetLetterURL(p.DatasetID, p.ID)
	}
	return j
}

// apiDatasetProvide records a provision of anonymised information (Art.
// 43(4)): its items and the method are published on the portal from now,
// and the cover letter that tells the recipient it is anonymised
// information is at the address answered.
func (s *Server) apiDatasetProvide(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.datasetsReady(); err != nil {
		return err
	}
	var in datasets.ProvisionInput
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	p, _, err := s.Datasets.Provide(r.Context(), c.Actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	j := toProvisionJSON(p, true)
	w.Header().Set("Location", j.Letter)
	writeJSON(w, http.StatusCreated, j)
	return nil
}

// apiDatasetPurpose changes the use purpose of pseudonymised information
// to another the ledger publishes (APPI Art. 41(4), (9)).
func (s *Server) apiDatasetPurpose(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.datasetsReady(); err != nil {
		return err
	}
	var in struct {
		UsePurpose *int `json:"use_purpose"`
	}
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	if in.UsePurpose == nil {
		return errNoUsePurpose()
	}
	d, err := s.Datasets.ChangeUsePurpose(r.Context(), c.Actor, r.PathValue("id"), *in.UsePurpose)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toDatasetJSON(d, true))
	return nil
}

// apiDatasetProvisions lists a dataset's provisions, oldest first; an
// unknown dataset is not found rather than an empty list.
func (s *Server) apiDatasetProvisions(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.datasetsReady(); err != nil {
		return err
	}
	d, err := s.Datasets.Get(r.Context(), c.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	list, err := s.Datasets.Provisions(r.Context(), c.Actor, d.ID)
	if err != nil {
		return err
	}
	out := make([]datasetProvisionJSON, 0, len(list))
	for _, p := range list {
		out = append(out, toProvisionJSON(p, datasetCreator(c.Actor.Role)))
	}
	writeJSON(w, http.StatusOK, map[string]any{"provisions": out})
	return nil
}

// apiDatasetLetter sends a provision's cover letter (PDF) again.
func (s *Server) apiDatasetLetter(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.datasetsReady(); err != nil {
		return err
	}
	return s.writeDatasetLetter(w, r, c)
}

// writeDatasetLetter renders the letter; the file is named by the
// provision's ID only once the service has found it.
func (s *Server) writeDatasetLetter(w http.ResponseWriter, r *http.Request, c *who) error {
	pid := r.PathValue("pid")
	pdf, err := s.Datasets.Letter(r.Context(), c.Actor, r.PathValue("id"), pid)
	if err != nil {
		return err
	}
	serveFile(w, "application/pdf", "dataset-provision-"+pid+".pdf", pdf)
	return nil
}

// pseudoBody is the body of POST /api/v1/datasets/pseudonymized: a
// datasets.PseudoSpec whose use purpose must be given (0 is the first of
// the ledger's purposes, not a default).
type pseudoBody struct {
	Title      string   `json:"title"`
	Category   string   `json:"category"`
	Purpose    string   `json:"purpose"`
	Items      []string `json:"items"`
	UsePurpose *int     `json:"use_purpose"`
}

func errNoUsePurpose() error {
	return hogo.NewError(hogo.EINVALID, "use_purpose", "仮名加工情報の利用目的を、台帳の仮名加工情報の利用目的の番号（0から）で指定してください（個人情報保護法第41条第4項）。",
		"give the use purpose as the number (from 0) of one of the ledger's purposes of pseudonymised information (APPI Art. 41(4))")
}

// apiCreatePseudonymized makes pseudonymised information (仮名加工情報,
// APPI Art. 41): kept with its use purpose, never provided, never
// published.
func (s *Server) apiCreatePseudonymized(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.datasetsReady(); err != nil {
		return err
	}
	var in pseudoBody
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	if in.UsePurpose == nil {
		return errNoUsePurpose()
	}
	d, err := s.Datasets.CreatePseudonymized(r.Context(), c.Actor, datasets.PseudoSpec{Title: in.Title, Category: in.Category,
		Purpose: in.Purpose, Items: in.Items, UsePurpose: *in.UsePurpose})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/datasets/"+d.ID)
	writeJSON(w, http.StatusCreated, toDatasetJSON(d, true))
	return nil
}

// apiStatistics counts a category's records by the items asked, small
// cells hidden (統計情報; the ledger's statistics.min_cell).
func (s *Server) apiStatistics(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.datasetsReady(); err != nil {
		return err
	}
	var in datasets.StatSpec
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	st, err := s.Datasets.Statistics(r.Context(), c.Actor, in)
	if err != nil {
		return err
	}
	if st.Cells == nil {
		st.Cells = []datasets.StatCell{}
	}
	if st.Columns == nil {
		st.Columns = []string{}
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}
