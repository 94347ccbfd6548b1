package web

import (
	"net/http"
	"slices"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/processor"
)

// processorReader may read the processor register (APPI Art. 25).
func processorReader(r hogo.Role) bool { return slices.Contains(processor.ReadRoles, r) }

// processorRecorder may record the supervision of processors.
func processorRecorder(r hogo.Role) bool { return slices.Contains(processor.RecordRoles, r) }

func (s *Server) processorsReady() error {
	if s.Processors == nil {
		return hogo.NewError(hogo.EINTERNAL, "", "委託先管理台帳が構成されていません。", "the processor register is not configured")
	}
	return nil
}

// apiProcessors is the register with each processor's status, and the
// reminders: reviews overdue, due within 30 days, or never made.
func (s *Server) apiProcessors(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.processorsReady(); err != nil {
		return err
	}
	all, err := s.Processors.List(r.Context(), c.Actor, "")
	if err != nil {
		return err
	}
	list := all
	if st := r.URL.Query().Get("status"); st != "" {
		if list, err = s.Processors.List(r.Context(), c.Actor, st); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"processors": list, "reminders": processor.Reminders(all)})
	return nil
}

func (s *Server) apiProcessor(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.processorsReady(); err != nil {
		return err
	}
	v, err := s.Processors.Get(r.Context(), c.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// processorStep decodes a body of type T, records it and answers 201 with
// the processor as it now stands.
func processorStep[T any](s *Server, record func(r *http.Request, c *who, id string, in T) (*processor.View, error)) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, c *who) error {
		if err := s.processorsReady(); err != nil {
			return err
		}
		var in T
		if err := decodeBody(r, &in); err != nil {
			return err
		}
		v, err := record(r, c, r.PathValue("id"), in)
		if err != nil {
			return err
		}
		w.Header().Set("Location", "/api/v1/processors/"+v.ID)
		writeJSON(w, http.StatusCreated, v)
		return nil
	}
}

func (s *Server) apiProcessorReview(w http.ResponseWriter, r *http.Request, c *who) error {
	return processorStep(s, func(r *http.Request, c *who, id string, in processor.ReviewInput) (*processor.View, error) {
		return s.Processors.RecordReview(r.Context(), c.Actor, id, in)
	})(w, r, c)
}

func (s *Server) apiProcessorContract(w http.ResponseWriter, r *http.Request, c *who) error {
	return processorStep(s, func(r *http.Request, c *who, id string, in processor.ContractInput) (*processor.View, error) {
		return s.Processors.RecordContract(r.Context(), c.Actor, id, in)
	})(w, r, c)
}

func (s *Server) apiProcessorSubEntrustment(w http.ResponseWriter, r *http.Request, c *who) error {
	return processorStep(s, func(r *http.Request, c *who, id string, in processor.SubEntrustmentInput) (*processor.View, error) {
		return s.Processors.ApproveSubEntrustment(r.Context(), c.Actor, id, in)
	})(w, r, c)
}
