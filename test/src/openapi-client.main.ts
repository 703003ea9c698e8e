import { writeFile } from 'node:fs/promises';
import { openApiDocument } from '@podpreview/producer/openapi';
import { CLIENT_TYPES_FILE, clientTypes } from './openapi-client.ts';

// The document the API serves at /v1/openapi.json, without starting it.
await writeFile(CLIENT_TYPES_FILE, await clientTypes(structuredClone(openApiDocument())));
process.stdout.write(`wrote ${CLIENT_TYPES_FILE.pathname}\n`);
