package fhir

import (
	"errors"
	"fmt"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// RawResource is a resource of any type, kept as its JSON: the members of a
// Bundle, the contained resources, a Parameters resource part. Decode it into
// the typed resource once its ResourceType is known.
type RawResource struct {
	resourceType string
	raw          jsontext.Value
}

// NewRawResource encodes a typed resource for embedding in another.
func NewRawResource(v any) (RawResource, error) {
	b, err := Marshal(v)
	if err != nil {
		return RawResource{}, err
	}
	var r RawResource
	if err := r.UnmarshalJSON(b); err != nil {
		return RawResource{}, err
	}
	return r, nil
}

// ResourceType is the resource's "resourceType" member.
func (r RawResource) ResourceType() string { return r.resourceType }

// ID is the resource's "id" member, or "".
func (r RawResource) ID() string {
	var head struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(r.raw, &head)
	return head.ID
}

// JSON returns the resource's JSON.
func (r RawResource) JSON() []byte { return r.raw }

// IsZero lets omitzero drop an absent resource.
func (r RawResource) IsZero() bool { return len(r.raw) == 0 }

// Decode decodes the resource into v, a pointer to a typed resource.
func (r RawResource) Decode(v any) error {
	if len(r.raw) == 0 {
		return errors.New("fhir: no resource to decode")
	}
	return Unmarshal(r.raw, v)
}

// MarshalJSON returns the resource's JSON unchanged.
func (r RawResource) MarshalJSON() ([]byte, error) {
	if len(r.raw) == 0 {
		return []byte("null"), nil
	}
	return r.raw, nil
}

// UnmarshalJSON keeps a copy of the JSON and reads its resourceType.
func (r *RawResource) UnmarshalJSON(b []byte) error {
	var head struct {
		ResourceType string `json:"resourceType"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return fmt.Errorf("fhir: resource: %w", err)
	}
	if head.ResourceType == "" {
		return errors.New("fhir: resource has no resourceType")
	}
	r.resourceType = head.ResourceType
	r.raw = append(jsontext.Value(nil), b...)
	return nil
}
