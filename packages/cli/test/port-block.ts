// The port block of a `simpul start` lives with the CLI's ports (the bench's startup scenario uses it too).
export { freePortBlock, portStates, STACK_PORTS } from '../src/ports';
