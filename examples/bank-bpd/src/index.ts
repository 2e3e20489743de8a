import { runService } from '@simpul/service-kit';
import { startBankBpd } from './app';
import { LOG_LEVELS, loadBankEnv } from './env';

// The logger starts before the environment is checked: a bad LOG_LEVEL must not keep it from
// listing every bad variable (the original value is still checked).
const environment = { ...process.env };
const level = process.env.LOG_LEVEL;
if (level !== undefined && !(LOG_LEVELS as readonly string[]).includes(level)) process.env.LOG_LEVEL = 'info';

runService('bank-bpd', async (logger) => startBankBpd(loadBankEnv(environment), logger));
