import { runService } from '@simpul/service-kit';
import { SERVICE_NAME, startGatewayService } from './server';

runService(SERVICE_NAME, (logger) => startGatewayService(logger));
