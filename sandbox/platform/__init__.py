"""The integrated online platform (省一体化政务服务平台) part of the sandbox."""
