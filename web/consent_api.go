package web

import (
	"net/http"
	"slices"

	"hogo.example.jp/hogo"
	"hogo.example.jp/hogo/vault"
)

func consentRole(r hogo.Role) bool { return slices.Contains(vault.ConsentRoles, r) }
func consentReader(r hogo.Role) bool {
	return slices.Contains(vault.ConsentRoles, r) || r == hogo.RoleAuditor
}

func (s *Server) apiGiveConsent(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	var in vault.ConsentInput
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	cs, err := s.Vault.GiveConsent(r.Context(), c.Actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/principals/"+cs.PrincipalID+"/consents/"+cs.ID)
	writeJSON(w, http.StatusCreated, map[string]any{"id": cs.ID, "principal": cs.PrincipalID, "purposes": cs.Purposes,
		"recipients": cs.Recipients, "given_at": cs.GivenAt.In(hogo.Tokyo), "notice_version": cs.NoticeVersion})
	return nil
}

func (s *Server) apiWithdrawConsent(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	if err := s.Vault.WithdrawConsent(r.Context(), c.Actor, r.PathValue("id"), r.PathValue("cid"), vault.ViaAPI); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiConsents(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	cs, err := s.Vault.Consents(r.Context(), c.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"consents": cs})
	return nil
}

func (s *Server) apiReconsent(w http.ResponseWriter, r *http.Request, c *who) error {
	if err := s.vaultReady(); err != nil {
		return err
	}
	list, err := s.Vault.ReconsentList(r.Context(), c.Actor, 1000)
	if err != nil {
		return err
	}
	if list == nil {
		list = []vault.Reconsent{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"principals": list})
	return nil
}
