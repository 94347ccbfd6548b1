package web

import (
	"errors"
	"net/http"
	"slices"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/provision"
)

func provideRole(r hogo.Role) bool     { return slices.Contains(provision.ProvideRoles, r) }
func provisionReader(r hogo.Role) bool { return slices.Contains(provision.RecordRoles, r) }

func (s *Server) provisionsReady() error {
	if s.Provisions == nil {
		return hogo.NewError(hogo.EINTERNAL, "", "第三者提供が構成されていません。", "provisions are not configured")
	}
	return nil
}

func (s *Server) apiProvide(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.provisionsReady(); err != nil {
		return err
	}
	var in provision.Input
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	rec, err := s.Provisions.Provide(r.Context(), c.Actor, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/provisions/"+rec.ID)
	writeJSON(w, http.StatusCreated, rec)
	return nil
}

func (s *Server) apiProvisions(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.provisionsReady(); err != nil {
		return err
	}
	list, err := s.Provisions.List(r.Context(), c.Actor, r.URL.Query().Get("principal"))
	if err != nil {
		return err
	}
	if list == nil {
		list = []provision.Record{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"provisions": list})
	return nil
}

func (s *Server) apiProvisionExport(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.provisionsReady(); err != nil {
		return err
	}
	name, ct, data, err := s.Provisions.Export(r.Context(), c.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	serveFile(w, ct, name, data)
	return nil
}

func asRefused(err error, re **provision.RefusedError) bool { return errors.As(err, re) }
