package hogo

import (
	"context"
	"time"
)

// Dataset is the record of anonymised information created from the vault
// (匿名加工情報の作成, APPI Art. 43; 則34–36): what it was made of, the
// steps of 則34 taken, the privacy models and the risk they leave, the item
// categories published (Art. 43(3)), the processing-method information
// (加工方法等情報) sealed apart, and the anonymised table itself.
type Dataset struct {
	ID    string
	Kind  string // DatasetAnonymized
	Title string
	// Category and Purpose: the ledger category the records came from and
	// the declared purpose they were read for.
	Category string
	Purpose  string
	Items    []DatasetItem
	Steps    []DatasetStep
	// Report is the JSON of the anonymisation: models, generalisation,
	// suppression, risk before and after, utility.
	Report      []byte
	Rows        int // rows in the anonymised table
	Suppressed  int
	CreatedAt   time.Time
	Actor       string
	PublishedAt time.Time // the item categories' publication (Art. 43(3))
	// Method is the processing-method information (hierarchies, levels,
	// parameters), sealed with MethodKey, a data key of its own wrapped by
	// the vault's key: kept apart from the data and read only by the
	// protection manager (Art. 43(2), 則35).
	Method    []byte
	MethodKey []byte
	// Data is the anonymised table as gzip-compressed CSV (UTF-8).
	Data []byte
}

// The kinds of dataset: anonymised information (匿名加工情報, Art. 2(6),
// 43) and pseudonymised information (仮名加工情報, Art. 2(5), 41), which is
// kept with the information removed to make it and never provided.
const (
	DatasetAnonymized    = "anonymized"
	DatasetPseudonymized = "pseudonymized"
)

// DatasetItem is one published item category: the item, its names, and
// how it was processed (e.g. 生年月日 → 年).
type DatasetItem struct {
	ID        string `json:"id"`
	NameJa    string `json:"name_ja"`
	NameEn    string `json:"name_en"`
	ProcessJa string `json:"process_ja"`
	ProcessEn string `json:"process_en"`
}

// DatasetStep is one step of 則34 as taken: the rule (1–5) and what was
// done, in both languages.
type DatasetStep struct {
	Rule int    `json:"rule"`
	Ja   string `json:"ja"`
	En   string `json:"en"`
}

// DatasetProvision is the record of anonymised information provided to a
// third party (Art. 43(4), 則36(2)): to whom, how, when, and when the items
// and the method of provision were published. The recipient was told in
// writing that the information is anonymised (the cover letter).
type DatasetProvision struct {
	ID               string
	DatasetID        string
	Recipient        string // the receiving business
	RecipientAddress string
	Method           string // how it is provided (提供の方法)
	ProvidedOn       string // YYYY-MM-DD
	CreatedAt        time.Time
	Actor            string
	PublishedAt      time.Time
}

// DatasetService is the storage side of datasets. Lists and Get leave out
// Data, Method and MethodKey.
type DatasetService interface {
	ListDatasets(ctx context.Context) ([]*Dataset, error)
	GetDataset(ctx context.Context, id string) (*Dataset, error)
	// DatasetData returns the gzip-compressed CSV.
	DatasetData(ctx context.Context, id string) ([]byte, error)
	// DatasetMethod returns the sealed method information and its key.
	DatasetMethod(ctx context.Context, id string) (sealed, key []byte, err error)
	// ListDatasetProvisions returns the provisions of a dataset ("" for
	// all), oldest first.
	ListDatasetProvisions(ctx context.Context, datasetID string) ([]*DatasetProvision, error)
}

// DatasetWriter is the datasets' part of a Tx.
type DatasetWriter interface {
	InsertDataset(ctx context.Context, d *Dataset) error
	InsertDatasetProvision(ctx context.Context, p *DatasetProvision) error
	// UpdateDatasetReport replaces the report of a dataset of kind.
	UpdateDatasetReport(ctx context.Context, id, kind string, report []byte) error
}
