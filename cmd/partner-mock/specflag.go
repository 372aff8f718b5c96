package main

import (
	"fmt"
	"os"

	"github.com/cryptofi/partner-mock/mock/app"
)

// loadSpec reads the --spec file into cfg. The document is checked by app.New, together with
// the tenants, so every problem comes out in one message.
func (c *serveCmd) loadSpec(cfg *app.Config) error {
	if c.Spec == "" {
		return nil
	}
	data, err := os.ReadFile(c.Spec)
	if err != nil {
		return usageError{fmt.Errorf("--spec: %w", err)}
	}
	cfg.SpecData, cfg.SpecSource = data, c.Spec
	return nil
}
