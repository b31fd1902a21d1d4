// SPDX-License-Identifier: MIT
// Copyright (c) 2025 Crown Copyright (NHS England)
import { createServer } from 'node:http';
import { findClinics } from './clinics.js';

const port = Number(process.env.PORT ?? 3000);

createServer(async (request, response) => {
  const url = new URL(request.url ?? '/', `http://localhost:${port}`);
  const postcode = url.searchParams.get('postcode');
  const clinics = postcode ? await findClinics(postcode) : [];
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify({ postcode, clinics }));
}).listen(port);
