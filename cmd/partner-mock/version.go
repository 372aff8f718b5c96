package main

import (
	"fmt"

	"github.com/cryptofi/partner-mock/mock/app"
	"github.com/cryptofi/partner-mock/spec"
)

type versionCmd struct{}

// Run prints the versions that make up the output contract: the same binary version, generator
// version and spec give byte-identical responses.
func (versionCmd) Run(e *env) error {
	s, err := spec.LoadEmbedded()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "partner-mock %s\ngenerator %s\nspec %s %s\n", version, app.GeneratorVersion, s.Doc.Info.Title, s.Doc.Info.Version)
	return nil
}
