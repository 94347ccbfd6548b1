package main

import (
	"strings"
	"testing"
)

func TestParseProxies(t *testing.T) {
	ps, err := parseProxies(" 10.0.0.5, 10.1.0.0/16,::1 ,")
	if err != nil || len(ps) != 3 || ps[0].String() != "10.0.0.5/32" || ps[1].String() != "10.1.0.0/16" || ps[2].String() != "::1/128" {
		t.Fatalf("%v %v", ps, err)
	}
	if _, err := parseProxies("10.0.0.5,proxy.example.jp"); err == nil || !strings.Contains(err.Error(), "proxy.example.jp") {
		t.Errorf("a host name was taken: %v", err)
	}
	if code, _, errs := hogoRun(t, "", "serve", "--trusted-proxy", "nope", "--addr", "127.0.0.1:0", "--data", t.TempDir()); code != 2 || !strings.Contains(errs, "CIDR") {
		t.Errorf("serve with a bad --trusted-proxy: %d %s", code, errs)
	}
}
