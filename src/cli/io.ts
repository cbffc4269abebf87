// What the CLI reads and writes through, so tests run it without a process.
export interface CliIo {
  readFile: (path: string) => string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}
