import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { GovcredError, getCredentialType, listCredentialTypes, schemaReference } from './catalog.js';

/** A property title (`titleChain`): its certificates are transferred and mortgaged, with two more status lists. */
const titleOf = (d: { titleChain?: boolean }) => (d.titleChain ? { titleChain: true } : {});

/** Public view of the credential catalog: what can be issued, its JSON Schema and zh-CN/en labels. */
@ApiTags('catalog')
@Controller('credential-types')
export class CatalogController {
  @Get()
  @ApiOperation({ summary: 'Every credential type the issuer knows, with labels and schema reference (`titleChain`: a property title).' })
  list(): unknown[] {
    return listCredentialTypes().map((d) => ({ type: d.type, version: d.version, labels: d.labels, ...titleOf(d), credentialSchema: schemaReference(d.type) }));
  }

  @Get(':type')
  @ApiOperation({ summary: 'One credential type with its JSON Schema.' })
  get(@Param('type') type: string): unknown {
    const d = getCredentialType(type);
    if (!d) throw new GovcredError('unknown_credential_type', `unknown credential type ${JSON.stringify(type).slice(0, 120)}`);
    return { type: d.type, version: d.version, labels: d.labels, ...titleOf(d), schema: d.schema, credentialSchema: schemaReference(d.type) };
  }
}
