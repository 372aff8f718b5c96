package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/cryptofi/partner-mock/mock/internal/query"
	"github.com/cryptofi/partner-mock/mock/internal/render"
	"github.com/cryptofi/partner-mock/mock/internal/tenant"
)

// fiJSON describes one FI (GET /__admin/fis).
type fiJSON struct {
	// ID is the FI's name in the tenants config, which admin paths use.
	ID   string `json:"id"`
	Name string `json:"name"`
	// Keys are the FI's API keys, masked, with their fault profiles.
	Keys             []keyJSON `json:"keys"`
	Seed             uint64    `json:"seed"`
	GeneratorVersion string    `json:"generator_version"`
	// Counts are the records that exist at Now, by resource.
	Counts map[string]int `json:"counts"`
	// Changes counts the records the admin API has put or deleted since start-up or the last
	// reset.
	Changes int       `json:"changes"`
	Clock   clockJSON `json:"clock"`
	Now     string    `json:"now"`
}

// keyJSON is one API key of an FI: masked, and the faults the tenants config gives it.
type keyJSON struct {
	Key    string `json:"key"`
	Faults string `json:"faults,omitempty"`
}

// clockJSON is the clock's setting.
type clockJSON struct {
	Mode  string   `json:"mode"`
	Speed *float64 `json:"speed,omitempty"`
}

// listFIs answers every FI, in config order.
func (a *adminAPI) listFIs(c *gin.Context) {
	out := struct {
		FIs []fiJSON `json:"fis"`
	}{FIs: []fiJSON{}}
	for _, t := range a.h.tenants.Tenants() {
		out.FIs = append(out.FIs, a.describe(t))
	}
	a.json(c, http.StatusOK, out)
}

// describe describes FI t as it is now.
func (a *adminAPI) describe(t *tenant.Tenant) fiJSON {
	at := a.h.clock.Now(t.AsOf())
	fi := fiJSON{
		ID:               t.Config.Name,
		Name:             t.Config.FIName,
		Keys:             []keyJSON{},
		Seed:             t.Config.Seed,
		GeneratorVersion: a.cfg.GeneratorVersion,
		Counts:           map[string]int{},
		Changes:          t.World().Changed(),
		Clock:            a.clockSetting(),
		Now:              string(render.AppendMicros(nil, at)),
	}
	for j, k := range t.Config.APIKeys {
		key := keyJSON{Key: a.cfg.MaskKey(k)}
		if p := t.Config.KeyProfile(j); p.Active() {
			key.Faults = p.Describe()
		}
		fi.Keys = append(fi.Keys, key)
	}
	for i, coll := range t.Collections {
		n, _ := coll.Now().Find(&query.Query{At: at}, nil)
		fi.Counts[a.h.resources[i].Name()] = n
	}
	return fi
}

// clockSetting describes the clock's mode.
func (a *adminAPI) clockSetting() clockJSON {
	r := a.h.clock.Read()
	out := clockJSON{Mode: r.Mode}
	if r.Mode == "live" {
		out.Speed = &r.Speed
	}
	return out
}

// clockBody is POST /__admin/clock's body: one operation.
type clockBody struct {
	Advance *time.Duration `yaml:"advance"`
	Set     *time.Time     `yaml:"set"`
	Freeze  *bool          `yaml:"freeze"`
	Live    *struct {
		Speed *float64 `yaml:"speed"`
	} `yaml:"live"`
}

// clockAnswer is the clock after a move: its mode and each FI's mock time.
type clockAnswer struct {
	clockJSON
	FIs []fiTime `json:"fis"`
}

type fiTime struct {
	ID  string `json:"id"`
	Now string `json:"now"`
}
