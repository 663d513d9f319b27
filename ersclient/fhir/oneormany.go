package fhir

import (
	"bytes"

	"github.com/go-json-experiment/json"
)

// OneOrMany is a repeating element that e-RS sometimes sends as a single
// object instead of an array (a documented known issue for
// HealthcareService.type and Appointment.participant.type). It decodes
// either shape and encodes the shape it was given.
type OneOrMany[T any] struct {
	Items  []T
	single bool
}

// Many builds an array-shaped OneOrMany.
func Many[T any](items ...T) OneOrMany[T] { return OneOrMany[T]{Items: items} }

// One builds a OneOrMany that encodes as a single object, the shape e-RS
// documents for Appointment.participant.type.
func One[T any](item T) OneOrMany[T] { return OneOrMany[T]{Items: []T{item}, single: true} }

// IsZero lets omitzero drop an empty element.
func (o OneOrMany[T]) IsZero() bool { return len(o.Items) == 0 }

// MarshalJSON writes a single object when one was read, an array otherwise.
func (o OneOrMany[T]) MarshalJSON() ([]byte, error) {
	if o.single && len(o.Items) == 1 {
		return json.Marshal(o.Items[0], json.Deterministic(true))
	}
	return json.Marshal(o.Items, json.Deterministic(true))
}

// UnmarshalJSON accepts an object or an array of objects.
func (o *OneOrMany[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var one T
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		o.Items, o.single = []T{one}, true
		return nil
	}
	o.single = false
	return json.Unmarshal(b, &o.Items)
}
