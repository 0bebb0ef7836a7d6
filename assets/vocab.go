package assets

import (
	_ "embed"
	"encoding/json"
	"sync"
)

//go:embed vocab/ledger_values.json
var ledgerValuesJSON []byte

// LedgerValues returns the accepted ledger spellings of each vocabulary
// (measure_type, employment, drug, risk, sex, ethnicity): spelling → the
// app's code (the canonical name for ethnicity). Callers match a cell
// whole, after their own width and space folding; the maps are shared and
// must not be modified.
func LedgerValues() map[string]map[string]string { return ledgerValues() }

var ledgerValues = sync.OnceValue(func() map[string]map[string]string {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(ledgerValuesJSON, &raw); err != nil {
		panic("assets: vocab/ledger_values.json: " + err.Error())
	}
	out := map[string]map[string]string{}
	for name, body := range raw {
		if name[0] == '_' {
			continue // comments
		}
		m := map[string]string{}
		if err := json.Unmarshal(body, &m); err != nil {
			panic("assets: vocab/ledger_values.json " + name + ": " + err.Error())
		}
		out[name] = m
	}
	return out
})
