/** The tool's version; a test keeps it equal to package.json's, so start-up reads no file for it. */
export const VERSION = '0.1.0';
