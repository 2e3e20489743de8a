import type { GatewayClient } from '@simpul/service-kit';
import { z } from 'zod';

// The PKB is the tax office's data: the police ask for it through the gateway, by a root field of
// the tax subgraph (not through the police's own Vehicle, which would route the question back here).
const VEHICLE_TAX_QUERY = 'query VehicleTaxForStnkValidation($plateNumber: String!) { vehicleTax(plateNumber: $plateNumber) { status dueOn } }';

const answerSchema = z.object({
  vehicleTax: z.object({ status: z.enum(['UNPAID', 'PAID', 'OVERDUE']), dueOn: z.string() }).nullable(),
});

export type VehicleTaxStatus = NonNullable<z.output<typeof answerSchema>['vehicleTax']>;

/** This year's PKB of the plate as the tax office has it; null when it has no record. A gateway failure throws (GatewayQueryError). */
export async function fetchVehicleTax(gateway: GatewayClient, plateNumber: string, purpose: string): Promise<VehicleTaxStatus | null> {
  const answer = answerSchema.parse(await gateway.query<unknown>(VEHICLE_TAX_QUERY, { plateNumber }, { purpose }));
  return answer.vehicleTax;
}
