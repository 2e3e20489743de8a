import os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  /** Cores Node may use (`os.availableParallelism()`). */
  cores: number;
  memoryGiB: number;
  nodeVersion: string;
  os: string;
}

export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() || 'unknown CPU',
    cores: os.availableParallelism(),
    memoryGiB: os.totalmem() / 1024 ** 3,
    nodeVersion: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export function formatMachine(machine: MachineInfo): string {
  return `${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB.toFixed(1)} GiB memory, ${machine.os}, Node ${machine.nodeVersion}`;
}

