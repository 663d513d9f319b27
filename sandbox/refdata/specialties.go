package refdata

// specialtyRow is a specialty and its clinic types. Dates are "2006-01-02"
// (or RFC 3339); an empty "to" is open.
type specialtyRow struct {
	code, display string
	from, to      string
	clinics       []clinicRow
}

type clinicRow struct {
	code, display string
	from, to      string
}

// since is when most e-RS codes took effect (the service went live in 2004).
const since = "2004-06-01"

// specialties is the SPECIALTY and CLINIC-TYPE data, by specialty code. The
// retired rows and HEART_FAILURE are the codes of the official examples;
// CARDIOLOGY_GENERAL is the clinic type of the simulator's test world; the
// others are a realistic selection, each with a general clinic named
// <SPECIALTY>_GENERAL. Clinic type codes are unique across specialties.
var specialties = []specialtyRow{
	{"2WW", "2WW", since, "", []clinicRow{
		{"2WW_BREAST", "Breast", since, ""},
		{"2WW_GYNAECOLOGICAL", "Gynaecological", since, ""},
		{"2WW_HEAD_AND_NECK", "Head and Neck", since, ""},
		{"2WW_LOWER_GI", "Lower GI", since, ""},
		{"2WW_LUNG", "Lung", since, ""},
		{"2WW_SKIN", "Skin", since, ""},
		{"2WW_UPPER_GI", "Upper GI", since, ""},
		{"2WW_UROLOGICAL", "Urological", since, ""},
	}},
	{"ADULT_MENTAL_ILLNESS", "Adult Mental Illness", since, "2008-05-09", []clinicRow{
		{"GENERAL_ADULT_MENTAL_ILLNESS", "General Adult Mental Illness", since, "2008-05-09"},
	}},
	{"ALLERGY", "Allergy", since, "", []clinicRow{
		{"ALLERGY_1", "Allergy", since, ""},
		{"FOOD_AND_DRUG_ALLERGY", "Food and Drug Allergy", since, "2009-03-14"},
	}},
	{"AUDIOLOGICAL_MEDICINE", "Audiological Medicine", since, "2008-05-09", []clinicRow{
		{"GENERAL_ADULT_AUDIOLOGICAL_MEDICINE", "General Adult Audiological Medicine", since, "2008-05-09"},
		{"GENERAL_AUDIOLOGICAL_MEDICINE", "General Audiological Medicine", since, "2008-05-09"},
		{"GENERAL_PAEDIATRIC_AUDIOLOGICAL_MEDICINE", "General Paediatric Audiological Medicine", since, "2007-11-16"},
	}},
	{"AUDIOLOGY", "Audiology", "2008-05-09", "", []clinicRow{
		{"AUDIOLOGY_GENERAL", "General Audiology", "2008-05-09", ""},
		{"HEARING_AIDS", "Hearing Aids", "2008-05-09", ""},
		{"TINNITUS", "Tinnitus", "2008-05-09", ""},
	}},
	{"BONE_AND_MARROW_TRANSPLANTATION", "Bone and Marrow Transplantation", since, "2008-05-09", []clinicRow{
		{"GENERAL_BONE_AND_MARROW_TRANSPLANTATION", "General Bone and Marrow Transplantation", since, "2008-05-09"},
	}},
	{"CARDIOLOGY", "Cardiology", since, "", []clinicRow{
		{"ARRHYTHMIA", "Arrhythmia", since, ""},
		{"CARDIOLOGY_GENERAL", "General Cardiology", since, ""},
		{"CHEST_PAIN", "Chest Pain", since, ""},
		{"HEART_FAILURE", "Heart Failure", since, ""},
		{"HYPERTENSION", "Hypertension", since, ""},
		{"LIPID_MANAGEMENT", "Lipid Management", since, ""},
	}},
	{"CHILDRENS_AND_ADOLESCENT_SERVICES", "Children's and Adolescent Services", since, "", []clinicRow{
		{"CHILDRENS_AND_ADOLESCENT_SERVICES_GENERAL", "General Paediatrics", since, ""},
		{"PAEDIATRIC_ASTHMA", "Paediatric Asthma", since, ""},
		{"PAEDIATRIC_DIABETES", "Paediatric Diabetes", since, ""},
	}},
	{"DERMATOLOGY", "Dermatology", since, "", []clinicRow{
		{"ACNE", "Acne", since, ""},
		{"DERMATOLOGY_GENERAL", "General Dermatology", since, ""},
		{"ECZEMA_AND_PSORIASIS", "Eczema and Psoriasis", since, ""},
		{"SKIN_LESIONS", "Skin Lesions", since, ""},
	}},
	{"DIABETIC_MEDICINE", "Diabetic Medicine", since, "", []clinicRow{
		{"DIABETIC_FOOT", "Diabetic Foot", since, ""},
		{"DIABETIC_MEDICINE_GENERAL", "General Diabetic Medicine", since, ""},
		{"INSULIN_PUMP", "Insulin Pump", since, ""},
	}},
	{"EAR_NOSE_AND_THROAT", "Ear, Nose and Throat", since, "", []clinicRow{
		{"EAR_NOSE_AND_THROAT_GENERAL", "General ENT", since, ""},
		{"EARS", "Ears", since, ""},
		{"NOSE_AND_SINUS", "Nose and Sinus", since, ""},
		{"THROAT_AND_VOICE", "Throat and Voice", since, ""},
	}},
	{"ENDOCRINOLOGY", "Endocrinology", since, "", []clinicRow{
		{"ADRENAL_AND_PITUITARY", "Adrenal and Pituitary", since, ""},
		{"ENDOCRINOLOGY_GENERAL", "General Endocrinology", since, ""},
		{"THYROID", "Thyroid", since, ""},
	}},
	{"GASTROENTEROLOGY", "Gastroenterology", since, "", []clinicRow{
		{"GASTROENTEROLOGY_GENERAL", "General Gastroenterology", since, ""},
		{"HEPATOLOGY", "Liver and Hepatology", since, ""},
		{"INFLAMMATORY_BOWEL_DISEASE", "Inflammatory Bowel Disease", since, ""},
		{"UPPER_GI", "Upper GI", since, ""},
	}},
	{"GENERAL_MEDICINE", "General Medicine", since, "", []clinicRow{
		{"GENERAL_MEDICINE_GENERAL", "General Medicine", since, ""},
	}},
	{"GENERAL_SURGERY", "General Surgery", since, "", []clinicRow{
		{"BREAST_SURGERY", "Breast Surgery", since, ""},
		{"COLORECTAL_SURGERY", "Colorectal Surgery", since, ""},
		{"GENERAL_SURGERY_GENERAL", "General Surgery", since, ""},
		{"HERNIA", "Hernia", since, ""},
	}},
	{"GERIATRIC_MEDICINE", "Geriatric Medicine", since, "", []clinicRow{
		{"FALLS", "Falls", since, ""},
		{"GERIATRIC_MEDICINE_GENERAL", "General Geriatric Medicine", since, ""},
		{"MEMORY", "Memory", since, ""},
	}},
	{"GYNAECOLOGY", "Gynaecology", since, "", []clinicRow{
		{"GYNAECOLOGY_GENERAL", "General Gynaecology", since, ""},
		{"MENOPAUSE", "Menopause", since, ""},
		{"MENSTRUAL_DISORDERS", "Menstrual Disorders", since, ""},
		{"PELVIC_PAIN", "Pelvic Pain", since, ""},
	}},
	{"HAEMATOLOGY", "Haematology", since, "", []clinicRow{
		{"ANAEMIA", "Anaemia", since, ""},
		{"ANTICOAGULATION", "Anticoagulation", since, ""},
		{"HAEMATOLOGY_GENERAL", "General Haematology", since, ""},
	}},
	{"INFECTIOUS_DISEASES", "Infectious Diseases", since, "", []clinicRow{
		{"INFECTIOUS_DISEASES_GENERAL", "General Infectious Diseases", since, ""},
	}},
	{"MENTAL_HEALTH_ADULT", "Mental Health - Adult", "2008-05-09", "", []clinicRow{
		{"MENTAL_HEALTH_ADULT_GENERAL", "General Adult Mental Health", "2008-05-09", ""},
		{"MEMORY_ASSESSMENT", "Memory Assessment", "2008-05-09", ""},
	}},
	{"NEUROLOGY", "Neurology", since, "", []clinicRow{
		{"EPILEPSY", "Epilepsy", since, ""},
		{"HEADACHE", "Headache", since, ""},
		{"MOVEMENT_DISORDERS", "Movement Disorders", since, ""},
		{"MULTIPLE_SCLEROSIS", "Multiple Sclerosis", since, ""},
		{"NEUROLOGY_GENERAL", "General Neurology", since, ""},
	}},
	{"OPHTHALMOLOGY", "Ophthalmology", since, "", []clinicRow{
		{"CATARACT", "Cataract", since, ""},
		{"GLAUCOMA", "Glaucoma", since, ""},
		{"MEDICAL_RETINA", "Medical Retina", since, ""},
		{"OPHTHALMOLOGY_GENERAL", "General Ophthalmology", since, ""},
	}},
	{"ORAL_AND_MAXILLOFACIAL_SURGERY", "Oral and Maxillofacial Surgery", since, "", []clinicRow{
		{"ORAL_AND_MAXILLOFACIAL_SURGERY_GENERAL", "General Oral and Maxillofacial Surgery", since, ""},
		{"WISDOM_TEETH", "Wisdom Teeth", since, ""},
	}},
	{"ORTHOPAEDICS", "Orthopaedics", since, "", []clinicRow{
		{"FOOT_AND_ANKLE", "Foot and Ankle", since, ""},
		{"HAND_AND_WRIST", "Hand and Wrist", since, ""},
		{"HIP", "Hip", since, ""},
		{"KNEE", "Knee", since, ""},
		{"ORTHOPAEDICS_GENERAL", "General Orthopaedics", since, ""},
		{"SHOULDER_AND_ELBOW", "Shoulder and Elbow", since, ""},
		{"SPINE", "Spine", since, ""},
	}},
	{"PAIN_MANAGEMENT", "Pain Management", since, "", []clinicRow{
		{"PAIN_MANAGEMENT_GENERAL", "General Pain Management", since, ""},
	}},
	{"PHYSIOTHERAPY", "Physiotherapy", since, "", []clinicRow{
		{"MUSCULOSKELETAL", "Musculoskeletal", since, ""},
		{"PHYSIOTHERAPY_GENERAL", "General Physiotherapy", since, ""},
	}},
	{"PLASTIC_SURGERY", "Plastic Surgery", since, "", []clinicRow{
		{"PLASTIC_SURGERY_GENERAL", "General Plastic Surgery", since, ""},
		{"PLASTIC_SURGERY_HAND", "Hand Surgery", since, ""},
	}},
	{"RENAL_MEDICINE", "Renal Medicine", since, "", []clinicRow{
		{"CHRONIC_KIDNEY_DISEASE", "Chronic Kidney Disease", since, ""},
		{"RENAL_MEDICINE_GENERAL", "General Renal Medicine", since, ""},
	}},
	{"RESPIRATORY_MEDICINE", "Respiratory Medicine", since, "", []clinicRow{
		{"ASTHMA", "Asthma", since, ""},
		{"COPD", "Chronic Obstructive Pulmonary Disease", since, ""},
		{"RESPIRATORY_MEDICINE_GENERAL", "General Respiratory Medicine", since, ""},
		{"SLEEP_APNOEA", "Sleep Apnoea", since, ""},
	}},
	{"RHEUMATOLOGY", "Rheumatology", since, "", []clinicRow{
		{"CONNECTIVE_TISSUE_DISEASE", "Connective Tissue Disease", since, ""},
		{"INFLAMMATORY_ARTHRITIS", "Inflammatory Arthritis", since, ""},
		{"OSTEOPOROSIS", "Osteoporosis", since, ""},
		{"RHEUMATOLOGY_GENERAL", "General Rheumatology", since, ""},
	}},
	{"UROLOGY", "Urology", since, "", []clinicRow{
		{"ERECTILE_DYSFUNCTION", "Erectile Dysfunction", since, ""},
		{"HAEMATURIA", "Haematuria", since, ""},
		{"KIDNEY_STONES", "Kidney Stones", since, ""},
		{"LOWER_URINARY_TRACT_SYMPTOMS", "Lower Urinary Tract Symptoms", since, ""},
		{"UROLOGY_GENERAL", "General Urology", since, ""},
	}},
	{"VASCULAR_SURGERY", "Vascular Surgery", since, "", []clinicRow{
		{"VARICOSE_VEINS", "Varicose Veins", since, ""},
		{"VASCULAR_SURGERY_GENERAL", "General Vascular Surgery", since, ""},
	}},
}

func specialtySystem() *CodeSystem {
	cs := &CodeSystem{
		Type: Specialty, Name: "e-RS Specialty", Description: "e-RS Specialty",
		Profile:        "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Specialty-CodeSystem-1",
		Date:           date("2021-05-26T13:47:38.185Z"),
		Properties:     effectiveProps(),
		DateExtensions: true,
	}
	for _, sp := range specialties {
		cs.Concepts = append(cs.Concepts, concept(sp.code, sp.display, sp.from, sp.to))
	}
	return cs
}

func clinicTypeSystem() *CodeSystem {
	cs := &CodeSystem{
		Type: ClinicType, Name: "e-RS Clinic Type", Description: "e-RS Clinic Type",
		Profile:    shareableProfile,
		Date:       date("2021-05-26T13:49:36.514Z"),
		Properties: append(effectiveProps(), PropertyDef{Code: PropSpecialty, Type: TypeCoding, System: Specialty}),
	}
	for _, sp := range specialties {
		for _, ct := range sp.clinics {
			cs.Concepts = append(cs.Concepts, concept(ct.code, ct.display, ct.from, ct.to, prop(PropSpecialty, sp.code)))
		}
	}
	return cs
}
