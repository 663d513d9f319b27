package config

import "reflect"

// Override is one value given above the environment, such as a command-line
// flag: the top layer of a configuration (defaults < file < environment <
// overrides). The cmd mains turn the flags the user set into overrides, so
// that a flag's value is converted and validated like the same key's
// variable, and every problem names the flag.
type Override struct {
	// Key is the dotted TOML key the value sets: "referrals".
	Key string
	// Values is the value as text, converted as an environment variable's
	// text is. A list key takes every item as it is (a repeated flag gives
	// one item per use, never split); any other key takes the last one.
	Values []string
	// By names the override in problems: "--referrals".
	By string
}

// applyOverrides sets each override's key, recording in setBy which override
// set it, and returns a problem naming the override for each value that does
// not convert and each key the configuration does not have.
func applyOverrides(cfg any, overrides []Override, setBy map[string]string) Problems {
	var ps Problems
	byKey := map[string]setting{}
	for _, s := range settings(reflect.ValueOf(cfg).Elem(), "") {
		byKey[s.key] = s
	}
	for _, o := range overrides {
		s, ok := byKey[o.Key]
		switch {
		case !ok:
			ps.add(o.By, "sets %q, which is not a key of this configuration", o.Key)
			continue
		case len(o.Values) == 0:
			ps.add(o.By, "has no value; it sets %s", s.key)
			continue
		case s.value.Kind() == reflect.Slice && s.value.Type().Elem().Kind() == reflect.String:
			setList(s.value, o.Values)
		default:
			text := o.Values[len(o.Values)-1]
			if err := setFromText(s.value, text, s.sep); err != nil {
				ps.add(o.By, "%q %v; it sets %s", text, err, s.key)
				continue
			}
		}
		setBy[s.key] = o.By
	}
	return ps
}
