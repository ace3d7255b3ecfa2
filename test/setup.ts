// Runs in every test file (jest.config.js setupFilesAfterEnv): temporary folders go when the file is done.
import { removeTempDirs } from './helpers';

afterAll(removeTempDirs);
