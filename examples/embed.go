// Package examples carries the example ledgers, one per kind of business, so
// that "hogo serve --demo" and the tests can use them without a checkout.
package examples

import "embed"

// Ledgers holds ledgers/*.yaml.
//
//go:embed ledgers/*.yaml
var Ledgers embed.FS

// Demo is the ledger of the demo organisation.
const Demo = "ledgers/staffing.yaml"
