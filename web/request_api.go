package web

import (
	"io"
	"net/http"
	"slices"
	"strconv"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/requests"
)

func (s *Server) requestsReady() error {
	if s.Requests == nil {
		return hogo.NewError(hogo.EINTERNAL, "", "請求の受付が構成されていません。", "rights requests are not configured")
	}
	return nil
}

func intakeRole(r hogo.Role) bool { return slices.Contains(requests.IntakeRoles, r) }
func handleRole(r hogo.Role) bool { return slices.Contains(requests.HandleRoles, r) }
func queueRole(r hogo.Role) bool  { return slices.Contains(requests.QueueRoles, r) }

func (s *Server) apiCreateRequest(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.requestsReady(); err != nil {
		return err
	}
	var in requests.Intake
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	rc, err := s.Requests.Receive(r.Context(), c.Actor, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/requests/"+rc.ID)
	writeJSON(w, http.StatusCreated, rc)
	return nil
}

func (s *Server) apiRequests(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.requestsReady(); err != nil {
		return err
	}
	q, err := s.Requests.Queue(r.Context(), c.Actor, r.URL.Query().Get("view"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"requests": q})
	return nil
}

func (s *Server) apiGetRequest(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.requestsReady(); err != nil {
		return err
	}
	d, err := s.Requests.Get(r.Context(), c.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// requestStep decodes a JSON body into T and runs one step of a request's
// handling; it answers with the request as it now stands.
func requestStep[T any](s *Server, fn func(r *http.Request, c *who, id string, in T) error) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, c *who) error {
		if err := s.requestsReady(); err != nil {
			return err
		}
		var in T
		if r.ContentLength != 0 {
			if err := decodeBody(r, &in); err != nil {
				return err
			}
		}
		id := r.PathValue("id")
		if err := fn(r, c, id, in); err != nil {
			return err
		}
		d, err := s.Requests.Get(r.Context(), c.Actor, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, d)
		return nil
	}
}

type completeBody struct {
	Requester      requests.Requester `json:"requester"`
	ResponseMethod string             `json:"response_method"`
}

type waitBody struct {
	Reason string `json:"reason"`
	Note   string `json:"note"`
}

type matchBody struct {
	Principal string `json:"principal"`
}

type noteBody struct {
	Note string `json:"note"`
}

type none struct{}

// apiAddRequestFile takes the file as the raw body (?kind=id_copy or
// agent_evidence); its type is sniffed from the content.
func (s *Server) apiAddRequestFile(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.requestsReady(); err != nil {
		return err
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, requests.MaxFileSize+1))
	if err != nil {
		return hogo.NewError(hogo.EINVALID, "file", "ファイルが大きすぎます（1ファイル%dMBまで）。", "the file is too large (at most %d MB)", requests.MaxFileSize>>20)
	}
	id, err := s.Requests.AddFile(r.Context(), c.Actor, r.PathValue("id"), r.URL.Query().Get("kind"), data)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": id})
	return nil
}

// apiRequestFile returns a kept file's content (opened and audited).
func (s *Server) apiRequestFile(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.requestsReady(); err != nil {
		return err
	}
	f, data, err := s.Requests.OpenFile(r.Context(), c.Actor, r.PathValue("id"), r.PathValue("fid"))
	if err != nil {
		return err
	}
	serveFile(w, f.ContentType, fileName(f), data)
	return nil
}

func fileName(f *hogo.RequestFile) string {
	ext := map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf", "application/zip": ".zip"}[f.ContentType]
	return f.Kind + "-" + f.ID + ext
}

// serveFile sends a download that is never cached nor sniffed.
func serveFile(w http.ResponseWriter, contentType, name string, data []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}
