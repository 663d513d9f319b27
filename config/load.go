package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Validator is a configuration struct: Load fills it, then asks it whether it makes sense.
type Validator interface {
	Validate() error
}

// IfMissing says what Load does when the file at the path does not exist.
type IfMissing int

const (
	// MissingIsError is for a path the user gave (a --config flag): a missing file is an error.
	MissingIsError IfMissing = iota
	// MissingIsDefaults is for the workstation's XDG path: a missing file means
	// defaults and environment only, and Load reports found=false.
	MissingIsDefaults
)

// Load fills cfg, a pointer to a configuration struct already holding its
// defaults: first from the TOML file at path (an empty path means no file),
// then from ERS_ environment variables found with lookup, then from the
// overrides (command-line flags), then validates it. found reports whether
// the file existed and was read.
//
// Every problem (unknown keys, values of the wrong type, bad environment
// variables or flags, failed validation) is reported together in one error
// wrapping Problems; a problem with a value set by a variable or a flag names
// it. A file that cannot be read or parsed is reported alone.
func Load(cfg Validator, path string, ifMissing IfMissing, lookup LookupFunc, overrides ...Override) (found bool, err error) {
	if rv := reflect.ValueOf(cfg); rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return false, fmt.Errorf("config.Load: cfg must point to a struct, not %T", cfg)
	}
	where := "config"
	var ps Problems
	if path != "" {
		where = "config " + path
		data, err := os.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist) && ifMissing == MissingIsDefaults:
			// Not an error: the caller runs on defaults and environment.
		case errors.Is(err, fs.ErrNotExist):
			return false, fmt.Errorf("%s: %w", where, fs.ErrNotExist)
		case err != nil:
			return false, fmt.Errorf("%s: %w", where, err)
		default:
			found = true
			md, err := toml.Decode(string(data), cfg)
			if err != nil {
				return true, fmt.Errorf("%s: %w", where, err)
			}
			ps = append(ps, fileProblems(md, cfg)...)
		}
	}

	setBy, envProblems := applyEnv(cfg, lookup)
	ps = append(ps, envProblems...)
	ps = append(ps, applyOverrides(cfg, overrides, setBy)...)

	var invalid Problems
	if err := cfg.Validate(); errors.As(err, &invalid) {
		for _, p := range invalid {
			p.Env = setBy[p.Key]
			ps = append(ps, p)
		}
	} else if err != nil {
		ps.add("", "%v", err)
	}
	if len(ps) > 0 {
		return found, fmt.Errorf("%s: %w", where, ps)
	}
	return found, nil
}

// fileProblems finds keys the struct does not have (so typos are not silently
// ignored) and durations written as bare numbers (which TOML would read as nanoseconds).
func fileProblems(md toml.MetaData, cfg any) Problems {
	var ps Problems
	reported := map[string]bool{}
	for _, k := range md.Undecoded() {
		// An unknown table's keys are undecoded too; naming the table is enough.
		if len(k) > 1 && reported[k[:len(k)-1].String()] {
			reported[k.String()] = true
			continue
		}
		reported[k.String()] = true
		ps.add("", "unknown key %q", k.String())
	}
	for _, s := range settings(reflect.ValueOf(cfg).Elem(), "") {
		if s.value.Type() != reflect.TypeFor[time.Duration]() {
			continue
		}
		parts := strings.Split(s.key, ".")
		if t := md.Type(parts...); t != "" && t != "String" {
			ps.add(s.key, "write a duration as a quoted string, for example %s = \"15m\"", parts[len(parts)-1])
		}
	}
	return ps
}

// WorkstationPath is where the workstation's file lives, following the XDG base
// directory rules: $XDG_CONFIG_HOME/ers-workstation/config.toml, or
// ~/.config/ers-workstation/config.toml when XDG_CONFIG_HOME is unset, empty or
// relative (the XDG rules say to ignore a relative one). home is the user's
// home directory (os.UserHomeDir in production).
func WorkstationPath(lookup LookupFunc, home string) (string, error) {
	if dir, ok := lookup("XDG_CONFIG_HOME"); ok && filepath.IsAbs(dir) {
		return filepath.Join(dir, "ers-workstation", "config.toml"), nil
	}
	if home == "" {
		return "", errors.New("config: cannot find the configuration directory: XDG_CONFIG_HOME is not set and there is no home directory")
	}
	return filepath.Join(home, ".config", "ers-workstation", "config.toml"), nil
}

// LoadWorkstation loads the workstation's configuration over DefaultWorkstation.
// Pass WorkstationPath with MissingIsDefaults, or a path from a flag with
// MissingIsError. found=false means there was no file: the workstation runs the built-in demo.
// overrides are the flags the user set.
func LoadWorkstation(path string, ifMissing IfMissing, lookup LookupFunc, overrides ...Override) (cfg Workstation, found bool, err error) {
	cfg = DefaultWorkstation()
	found, err = Load(&cfg, path, ifMissing, lookup, overrides...)
	return cfg, found, err
}

// LoadGateway loads the gateway's configuration over DefaultGateway from the
// file at path (from a flag; missing is an error, empty means no file).
// overrides are the flags the user set.
func LoadGateway(path string, lookup LookupFunc, overrides ...Override) (Gateway, error) {
	cfg := DefaultGateway()
	_, err := Load(&cfg, path, MissingIsError, lookup, overrides...)
	return cfg, err
}

// LoadSandbox loads the simulator's configuration over DefaultSandbox from the
// file at path (from a flag; missing is an error, empty means no file).
// overrides are the flags the user set.
func LoadSandbox(path string, lookup LookupFunc, overrides ...Override) (Sandbox, error) {
	cfg := DefaultSandbox()
	_, err := Load(&cfg, path, MissingIsError, lookup, overrides...)
	return cfg, err
}
