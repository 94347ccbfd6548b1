package postgres

import (
	"fmt"

	"github.com/jackc/pgx/v5"
)

func pgxConfig(url string) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		// pgx errors may echo the URL, which can hold a password.
		return nil, fmt.Errorf("the PostgreSQL URL cannot be read; write it as postgres://USER@HOST:5432/DB")
	}
	return cfg, nil
}
