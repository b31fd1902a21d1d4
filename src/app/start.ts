/**
 * `npm start`: the App under Probot's server, with GitHub clients whose throttle is per installation (shared
 * through Redis across replicas when `REDIS_URL` is set), so that one busy organisation does not slow the others.
 */
import { run } from 'probot';
import { InstallationThrottledOctokit } from '../queue/probot.js';
import app from './index.js';

await run(app, { Octokit: InstallationThrottledOctokit });
